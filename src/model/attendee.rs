//! A person on the roster: the fields typed at the desk or imported, checked one by one
//! (names, e-mail, phone, category, days), and the attendee as stored.

use super::*;
use crate::error::{Error, Result};
use crate::text::{clean, fold, TextRule};
use serde::{Deserialize, Serialize};

/// An attendee as typed: every field optional. On registration a missing field is empty; on
/// an edit a missing field is left as it is and an empty one is cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AttendeeInput {
    /// Honorific or rank ("Lt. Col.", "H.E.", "Dr.").
    pub rank: Option<String>,
    /// Given name(s).
    pub given_name: Option<String>,
    /// Family name(s).
    pub family_name: Option<String>,
    /// Name to print on the badge instead of given + family.
    pub badge_name: Option<String>,
    /// Job title.
    pub position: Option<String>,
    /// Organisation.
    pub organization: Option<String>,
    /// Nation, territory, institution, or "Press".
    pub delegation: Option<String>,
    /// Category, wire value or label.
    pub category: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Days attending, as people write them ("1,2", "Day 1", "both"); absent on a
    /// registration means every day, empty is refused.
    pub days: Option<String>,
    /// Dietary requirements.
    pub dietary: Option<String>,
    /// Accessibility needs.
    pub accessibility: Option<String>,
    /// Free-text notes.
    pub notes: Option<String>,
    /// Head of their delegation, as typed (yes or no): first in the order of precedence.
    pub head_of_delegation: Option<String>,
    /// Protocol is told when they arrive, as typed (yes or no); a VIP always is.
    pub notify_protocol: Option<String>,
}

impl AttendeeInput {
    /// The change an edit form makes to the person `stored` now, given the values it was
    /// `loaded` with when the person was opened: only the fields typed differently (a field
    /// typed so that it means the same, a space added, is no change). A panel left open while
    /// another desk saved the same person thus does not put back the older values it still
    /// shows. A field changed here that another desk also changed since, to another value than
    /// the one typed here, is a conflict ([`Error::Stale`]): nothing is taken, and the message
    /// names each field with its stored value. Each field is judged alone: one loaded as the
    /// rules of today refuse it is compared as written.
    pub fn since_loaded(
        &self,
        loaded: &AttendeeInput,
        stored: &AttendeeFields,
        day_count: u32,
    ) -> Result<AttendeeInput> {
        // The stored person with one field as given, if the rules take it.
        let probe = |one: AttendeeInput| AttendeeFields::from_input(Some(stored), &one, day_count).ok();
        // The person as a form can show them: a day the event no longer has has no box, so a
        // form never loads it, and its absence is no change made elsewhere.
        let seen = AttendeeFields {
            days: stored.days.iter().copied().filter(|d| (1..=day_count).contains(d)).collect(),
            ..stored.clone()
        };
        let mut judged = Judged::default();
        let mut out = AttendeeInput::default();
        macro_rules! field {
            ($f:ident, $label:expr, $form:expr, $shown:expr) => {
                let read = |v: Option<&str>| {
                    probe(AttendeeInput { $f: v.map(str::to_string), ..Default::default() }).map(|a| a.$f)
                };
                let verdict = since_loaded(self.$f.as_deref(), loaded.$f.as_deref(), read, &seen.$f, || {
                    ($form)(&seen.$f)
                });
                if judged.take(verdict, wire_name(stringify!($f)), || {
                    format!("{} (now {})", $label, ($shown)(&seen.$f))
                }) {
                    out.$f = self.$f.clone();
                }
            };
        }
        let form = |s: &String| s.clone();
        let text = |s: &String| named_text(s);
        let yes_no = |b: &bool| if *b { "yes" } else { "no" }.to_string();
        let days = |d: &Vec<u32>| d.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        field!(rank, "the rank", form, text);
        field!(given_name, "the given name", form, text);
        field!(family_name, "the family name", form, text);
        field!(
            badge_name,
            "the badge name",
            |b: &Option<String>| b.clone().unwrap_or_default(),
            |b: &Option<String>| b.as_ref().map(text).unwrap_or_else(|| "the full name".into())
        );
        field!(position, "the position", form, text);
        field!(organization, "the organisation", form, text);
        field!(delegation, "the delegation", form, text);
        field!(category, "the category", |c: &Category| c.wire().to_string(), |c: &Category| c
            .label()
            .to_string());
        field!(email, "the e-mail", form, text);
        field!(phone, "the phone", form, text);
        field!(days, "the days", days, |d: &Vec<u32>| days(d).replace(',', ", "));
        field!(dietary, "the dietary requirements", form, text);
        field!(accessibility, "the accessibility needs", form, text);
        field!(notes, "the notes", form, text);
        field!(head_of_delegation, "head of delegation", yes_no, yes_no);
        field!(notify_protocol, "tell protocol", yes_no, yes_no);
        judged.check("this person was opened")?;
        Ok(out)
    }
}

/// The validated, normalized personal fields of an attendee (everything but id and status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeFields {
    /// Honorific or rank.
    pub rank: String,
    /// Given name(s).
    pub given_name: String,
    /// Family name(s).
    pub family_name: String,
    /// Printed-name override, if any.
    pub badge_name: Option<String>,
    /// Job title.
    pub position: String,
    /// Organisation.
    pub organization: String,
    /// Nation, territory, institution, or "Press".
    pub delegation: String,
    /// Category.
    pub category: Category,
    /// E-mail address (may be empty).
    pub email: String,
    /// Phone number (may be empty).
    pub phone: String,
    /// Days attending, sorted, at least one.
    pub days: Vec<u32>,
    /// Dietary requirements.
    pub dietary: String,
    /// Accessibility needs.
    pub accessibility: String,
    /// Free-text notes.
    pub notes: String,
    /// Head of their delegation: first in the order of precedence.
    #[serde(default)]
    pub head_of_delegation: bool,
    /// Protocol is told when they arrive (a VIP always is).
    #[serde(default)]
    pub notify_protocol: bool,
}

const fn rule(field: &'static str, label: &'static str, max_chars: usize, why: &'static str) -> TextRule {
    TextRule { field, label, max_chars, why, multiline: false }
}

const BADGE: &str = "it must fit on a badge";

const RANK: TextRule = rule("rank", "Rank or honorific", 40, BADGE);

const GIVEN: TextRule = rule("givenName", "Given name", 100, BADGE);

const FAMILY: TextRule = rule("familyName", "Family name", 100, BADGE);

const BADGE_NAME: TextRule = rule("badgeName", "Badge name", 100, BADGE);

const POSITION: TextRule = rule("position", "Position", 150, BADGE);

const ORGANIZATION: TextRule = rule("organization", "Organisation", 150, BADGE);

const DELEGATION: TextRule = rule("delegation", "Delegation", 100, BADGE);

const EMAIL: TextRule = rule("email", "Email", 254, "the longest address e-mail allows");

const PHONE: TextRule = rule("phone", "Phone", 40, "a phone number with extension fits in 40");

const DIETARY: TextRule = rule("dietary", "Dietary requirements", 300, "catering lists print it on one line");

const ACCESSIBILITY: TextRule =
    rule("accessibility", "Accessibility needs", 300, "protocol lists print it on one line");

const NOTES: TextRule = TextRule {
    field: "notes",
    label: "Notes",
    max_chars: 2000,
    why: "notes are for short remarks",
    multiline: true,
};

/// Check an e-mail address; empty is allowed (not everyone gives one).
pub fn check_email(v: &str) -> Result<()> {
    if v.is_empty() {
        return Ok(());
    }
    let fail = |why: &str| Err(Error::invalid("email", format!("Email \"{v}\" {why}")));
    if v.chars().any(char::is_whitespace) {
        return fail("contains a space");
    }
    let Some((local, domain)) = v.rsplit_once('@') else {
        return fail("has no @");
    };
    if local.is_empty() {
        return fail("has nothing before the @");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return fail("needs a domain such as example.org after the @");
    }
    if !email_address::EmailAddress::is_valid(v) {
        return fail("is not a valid e-mail address");
    }
    Ok(())
}

/// Check a phone number: digits with the usual separators (+ - ( ) . / and spaces), an
/// optional extension ("x12", "ext. 12"); empty is allowed.
pub fn check_phone(v: &str) -> Result<()> {
    if v.is_empty() {
        return Ok(());
    }
    let lower = v.to_lowercase();
    let (main, ext) = match lower.find(['x', 'e']) {
        Some(i) => {
            (&lower[..i], lower[i..].trim_start_matches(|c: char| c.is_alphabetic() || c == '.' || c == ' '))
        }
        None => (lower.as_str(), ""),
    };
    let main_ok = main.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
        && !main[1.min(main.len())..].contains('+');
    let ext_ok = ext.chars().all(|c| c.is_ascii_digit());
    let digits = main.chars().filter(char::is_ascii_digit).count();
    if !main_ok || !ext_ok {
        return Err(Error::invalid(
            "phone",
            format!(
                "Phone \"{v}\" may hold only digits, spaces, + - ( ) . / and an extension such as \"x12\""
            ),
        ));
    }
    if !(5..=20).contains(&digits) {
        return Err(Error::invalid(
            "phone",
            format!("Phone \"{v}\" has {digits} digits; a phone number has 5 to 20"),
        ));
    }
    Ok(())
}

impl AttendeeFields {
    /// Validate `input` laid over `base` (the stored attendee on an edit, nothing on a
    /// registration). Every refused field is reported at once.
    pub fn from_input(
        base: Option<&AttendeeFields>,
        input: &AttendeeInput,
        day_count: u32,
    ) -> Result<AttendeeFields> {
        let mut issues = Issues::default();
        let mut text = |rule: &TextRule, new: &Option<String>, old: Option<&str>| -> String {
            match new {
                Some(raw) => issues.take(clean(rule, raw)).unwrap_or_default(),
                None => old.unwrap_or_default().to_string(),
            }
        };
        let rank = text(&RANK, &input.rank, base.map(|b| b.rank.as_str()));
        let given_name = text(&GIVEN, &input.given_name, base.map(|b| b.given_name.as_str()));
        let family_name = text(&FAMILY, &input.family_name, base.map(|b| b.family_name.as_str()));
        let badge_name = text(&BADGE_NAME, &input.badge_name, base.and_then(|b| b.badge_name.as_deref()));
        let position = text(&POSITION, &input.position, base.map(|b| b.position.as_str()));
        let organization = text(&ORGANIZATION, &input.organization, base.map(|b| b.organization.as_str()));
        let delegation = text(&DELEGATION, &input.delegation, base.map(|b| b.delegation.as_str()));
        let email = text(&EMAIL, &input.email, base.map(|b| b.email.as_str()));
        let phone = text(&PHONE, &input.phone, base.map(|b| b.phone.as_str()));
        let dietary = text(&DIETARY, &input.dietary, base.map(|b| b.dietary.as_str()));
        let accessibility =
            text(&ACCESSIBILITY, &input.accessibility, base.map(|b| b.accessibility.as_str()));
        let notes = text(&NOTES, &input.notes, base.map(|b| b.notes.as_str()));
        // A name of invisible characters only (a soft hyphen, a joiner) is no name either.
        if fold(&given_name).is_empty() && fold(&family_name).is_empty() {
            let msg = "Enter a given name or a family name (at least one)";
            issues.take::<()>(Err(Error::invalid("givenName", msg)));
        }
        // Nor is a badge name that draws nothing: the badge would print blank in its place.
        if !badge_name.is_empty() && crate::text::shows_nothing(&badge_name) {
            let msg = "The badge name holds only characters that print nothing: type the name to print, or leave it empty to print the given and family names";
            issues.take::<()>(Err(Error::invalid("badgeName", msg)));
        }
        issues.take(check_email(&email));
        issues.take(check_phone(&phone));
        let category = match (&input.category, base) {
            (Some(raw), _) if !raw.trim().is_empty() => issues.take(Category::parse(raw)),
            (Some(_), _) | (None, None) => {
                issues.take::<()>(Err(Error::invalid("category", "Choose a category")));
                None
            }
            (None, Some(b)) => Some(b.category),
        };
        let days = match (&input.days, base) {
            (Some(raw), _) => issues.take(parse_days(raw, day_count)),
            (None, Some(b)) => Some(b.days.clone()),
            (None, None) => Some((1..=day_count).collect()),
        };
        let mut flag = |field: &str, label: &str, new: &Option<String>, old: bool| match new {
            // An empty value typed is "no". (An import passes no value for an empty cell: it
            // leaves what is stored, and a new person's flags are "no".)
            Some(raw) if raw.trim().is_empty() => false,
            Some(raw) => issues.take(parse_yes_no(field, label, raw)).unwrap_or(old),
            None => old,
        };
        let head_of_delegation = flag(
            "headOfDelegation",
            "Head of delegation",
            &input.head_of_delegation,
            base.is_some_and(|b| b.head_of_delegation),
        );
        let notify_protocol = flag(
            "notifyProtocol",
            "Notify protocol",
            &input.notify_protocol,
            base.is_some_and(|b| b.notify_protocol),
        );
        issues.finish()?;
        Ok(AttendeeFields {
            rank,
            given_name,
            family_name,
            badge_name: Some(badge_name).filter(|b| !b.is_empty()),
            position,
            organization,
            delegation,
            category: category.unwrap_or(Category::Delegate),
            email,
            phone,
            days: days.unwrap_or_default(),
            dietary,
            accessibility,
            notes,
            head_of_delegation,
            notify_protocol,
        })
    }

    /// Whether protocol is told when they arrive: a VIP, or a person flagged for it.
    pub fn notifies_protocol(&self) -> bool {
        self.category == Category::Vip || self.notify_protocol
    }

    /// Given and family name as one string ("Hélène Dupré").
    pub fn full_name(&self) -> String {
        [self.given_name.as_str(), self.family_name.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The name as addressed at the desk: rank, then the full name ("Lt. Col. Hélène Dupré").
    pub fn display_name(&self) -> String {
        let name = self.full_name();
        if self.rank.is_empty() {
            name
        } else {
            format!("{} {name}", self.rank)
        }
    }
}

/// A stored attendee as the UI, the CLI and exports see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    /// Stable id, never reused.
    pub id: i64,
    /// The personal fields.
    #[serde(flatten)]
    pub fields: AttendeeFields,
    /// Rank and full name, as addressed at the desk.
    pub display_name: String,
    /// Where the attendee stands.
    pub status: Status,
    /// When the attendee last got a seat (UTC, RFC 3339), if registered.
    pub registered_at: Option<String>,
    /// Place in the waitlist, 1 = next to be promoted, if waitlisted.
    pub waitlist_position: Option<u32>,
    /// When the record was created (UTC, RFC 3339).
    pub created_at: String,
    /// When the record was last changed (UTC, RFC 3339).
    pub updated_at: String,
    /// Their security vetting.
    #[serde(default)]
    pub vetting: Vetting,
}

/// Where a person's security vetting stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VettingState {
    /// Not yet cleared: the default.
    #[default]
    Pending,
    /// Cleared by security: may be checked in.
    Cleared,
    /// Refused by security: not let in.
    Refused,
}

impl VettingState {
    /// Every state, in the order forms list them.
    pub const ALL: [VettingState; 3] = [VettingState::Pending, VettingState::Cleared, VettingState::Refused];

    /// The wire value, also the value stored in the database.
    pub fn wire(self) -> &'static str {
        match self {
            VettingState::Pending => "pending",
            VettingState::Cleared => "cleared",
            VettingState::Refused => "refused",
        }
    }

    /// The human label ("Cleared").
    pub fn label(self) -> &'static str {
        match self {
            VettingState::Pending => "Pending",
            VettingState::Cleared => "Cleared",
            VettingState::Refused => "Refused",
        }
    }

    /// Parse a state as typed, any case ("clear", "vetted" and "denied" are accepted).
    pub fn parse(s: &str) -> Result<VettingState> {
        match s.trim().to_lowercase().as_str() {
            "pending" => Ok(VettingState::Pending),
            "cleared" | "clear" | "vetted" => Ok(VettingState::Cleared),
            "refused" | "denied" => Ok(VettingState::Refused),
            _ => Err(Error::invalid(
                "vetting",
                format!(
                    "Unknown vetting state \"{}\"; use one of: pending, cleared, refused",
                    crate::text::shortened(s.trim(), 40)
                ),
            )),
        }
    }
}

/// A person's security vetting: the state, a note, and who set it, where and when (none of
/// these while nobody has: pending by default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vetting {
    /// The state.
    pub state: VettingState,
    /// What security noted (may be empty).
    pub note: String,
    /// Who set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// At which desk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desk: Option<String>,
    /// When (UTC, RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

const VETTING_NOTE: TextRule = rule(
    "note",
    "Vetting note",
    300,
    "security's short note, shown on the person's card and the security roster",
);

/// A vetting note as typed, cleaned (may be empty).
pub fn clean_vetting_note(raw: &str) -> Result<String> {
    clean(&VETTING_NOTE, raw)
}

impl Vetting {
    /// Why the person may not be checked in while vetting is required ("Security vetting
    /// pending"); `None` once cleared.
    pub fn refusal(&self) -> Option<String> {
        match self.state {
            VettingState::Cleared => None,
            VettingState::Pending => Some("Security vetting pending".to_string()),
            VettingState::Refused => Some("Security vetting refused".to_string()),
        }
    }
}

/// The folded keys stored beside an attendee: what duplicates, the import's matching and the
/// search compare (case and accents ignored).
pub(crate) struct Keys {
    /// Given and family name.
    pub(crate) name: String,
    /// The delegation.
    pub(crate) delegation: String,
    /// The e-mail, lower case.
    pub(crate) email: String,
    /// Names, badge name and e-mail: what a search looks in.
    pub(crate) search: String,
}

impl Keys {
    /// The keys of `f`.
    pub(crate) fn of(f: &AttendeeFields) -> Keys {
        Keys::of_parts(&f.given_name, &f.family_name, f.badge_name.as_deref(), &f.delegation, &f.email)
    }

    /// The keys of a person given by the fields they are made from.
    pub(crate) fn of_parts(
        given: &str,
        family: &str,
        badge: Option<&str>,
        delegation: &str,
        email: &str,
    ) -> Keys {
        Keys {
            name: fold(&format!("{given} {family}")),
            delegation: fold(delegation),
            email: Keys::email_of(email),
            search: fold(&format!("{given} {family} {} {email}", badge.unwrap_or(""))),
        }
    }

    /// The key of an e-mail address ([`crate::text::email_key`]): two records with the same
    /// key are the same person.
    pub(crate) fn email_of(email: &str) -> String {
        crate::text::email_key(email)
    }
}

/// Where `a` stands in the order of precedence of rosters and lists: heads of delegation
/// first, then by delegation in alphabetical order (case and accents ignored; no delegation
/// last), then in the order people were recorded (the invite list's own order of rank).
pub fn precedence(a: &Attendee) -> (bool, bool, String, i64) {
    let delegation = fold(&a.fields.delegation);
    (!a.fields.head_of_delegation, delegation.is_empty(), delegation, a.id)
}
