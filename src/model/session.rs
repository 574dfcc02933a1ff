//! A session of the programme and who may attend it, as values: its day, its times at the
//! venue ("08:00" to "09:30"), its title and room, the categories it admits and the people
//! admitted or excluded by name; the clock times as people type them; and the one rule that
//! says whether a person may enter, with the reason in words when not.

use super::*;
use crate::error::{Error, Result};
use crate::text::{clean, TextRule};
use serde::{Deserialize, Serialize};

/// The title of a session: what the badge and the door steward read.
pub const SESSION_TITLE: TextRule = TextRule {
    field: "title",
    label: "Title",
    max_chars: 200,
    why: "the programme prints it on one line",
    multiline: false,
};

/// The room of a session.
pub const SESSION_ROOM: TextRule = TextRule {
    field: "room",
    label: "Room",
    max_chars: 100,
    why: "signs print it on one line",
    multiline: false,
};

/// One session of the programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// Its number, never given to another session.
    pub id: i64,
    /// The event day (1-based).
    pub day: u32,
    /// When it starts at the venue, "08:00".
    pub start: String,
    /// When it ends at the venue, "09:30" ("24:00" for midnight).
    pub end: String,
    /// What it is called.
    pub title: String,
    /// Where it is; empty when not said.
    pub room: String,
    /// The categories it admits, in the categories' order.
    pub categories: Vec<Category>,
    /// People admitted by name whatever their category (attendee ids, ascending).
    pub admitted: Vec<i64>,
    /// People excluded by name whatever their category (attendee ids, ascending).
    pub excluded: Vec<i64>,
}

/// Whether a person may enter a session, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// They may enter: their category is admitted, or they are admitted by name.
    Admitted,
    /// Their category is not admitted and nobody admitted them by name.
    ClosedTo(Category),
    /// They are excluded by name.
    Excluded,
}

impl Access {
    /// The refusal in one line for the door steward; `None` when admitted.
    pub fn refusal(self) -> Option<String> {
        match self {
            Access::Admitted => None,
            Access::ClosedTo(c) => {
                Some(format!("{} — this session is closed to {}", c.label(), closed_to_words(c)))
            }
            Access::Excluded => Some("Not on the list for this session".to_string()),
        }
    }
}

/// How a refusal names a category's people ("the press", "observers").
fn closed_to_words(c: Category) -> &'static str {
    match c {
        Category::Delegate => "delegates",
        Category::CoHost => "co-host delegations",
        Category::RegionalInstitution => "regional institutions",
        Category::Observer => "observers",
        Category::Speaker => "speakers",
        Category::Vip => "VIPs",
        Category::Press => "the press",
        Category::Staff => "staff",
    }
}

impl Session {
    /// Whether the person `id` of category `category` may enter.
    pub fn access(&self, id: i64, category: Category) -> Access {
        if self.excluded.binary_search(&id).is_ok() {
            Access::Excluded
        } else if self.admitted.binary_search(&id).is_ok() || self.categories.contains(&category) {
            Access::Admitted
        } else {
            Access::ClosedTo(category)
        }
    }

    /// Whether `a` is expected at it: registered, down for its day and allowed in.
    pub fn expects(&self, a: &Attendee) -> bool {
        a.status == Status::Registered
            && a.fields.days.contains(&self.day)
            && self.access(a.id, a.fields.category) == Access::Admitted
    }

    /// Whether it and `other` (another session) overlap in time on the same day.
    pub fn overlaps(&self, other: &Session) -> bool {
        self.day == other.day && self.start < other.end && other.start < self.end
    }

    /// Who may attend, in words: "everyone", "everyone but the press", "only Delegate, VIP",
    /// "nobody by category", then the people admitted or excluded by number.
    pub fn open_to_words(&self) -> String {
        let missing: Vec<Category> =
            Category::ALL.into_iter().filter(|c| !self.categories.contains(c)).collect();
        let name = |c: &Category| {
            if *c == Category::Press {
                "the press".to_string()
            } else {
                c.label().to_string()
            }
        };
        let mut words = if missing.is_empty() {
            "everyone".to_string()
        } else if self.categories.is_empty() {
            "nobody by category".to_string()
        } else if missing.len() <= 3 {
            format!("everyone but {}", missing.iter().map(name).collect::<Vec<_>>().join(", "))
        } else {
            format!("only {}", self.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "))
        };
        let numbers = |ids: &[i64]| ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ");
        if !self.admitted.is_empty() {
            words.push_str(&format!("; admitted by name: {}", numbers(&self.admitted)));
        }
        if !self.excluded.is_empty() {
            words.push_str(&format!("; excluded: {}", numbers(&self.excluded)));
        }
        words
    }

    /// The categories as stored: wire values joined by commas.
    pub fn categories_wire(&self) -> String {
        self.categories.iter().map(|c| c.wire()).collect::<Vec<_>>().join(",")
    }
}

/// The longest list of session titles a badge names before it says "+N more".
const ACCESS_TITLES_CHARS: usize = 60;

/// Where `a` may go, in words a guard reads at a glance on the badge: "" when there is no
/// programme (or none on their days); "All sessions" when they may enter every session of
/// their days; "No sessions" when none; else the titles of the ones they may enter,
/// shortened to fit ("Welcoming remarks, Maritime security +2 more only"), led by their
/// category when it is the category that limits them ("Press — Welcoming remarks only").
pub fn access_words(sessions: &[Session], a: &Attendee) -> String {
    let theirs: Vec<&Session> = sessions.iter().filter(|s| a.fields.days.contains(&s.day)).collect();
    if theirs.is_empty() {
        return String::new();
    }
    let open: Vec<&Session> =
        theirs.iter().copied().filter(|s| s.access(a.id, a.fields.category) == Access::Admitted).collect();
    if open.len() == theirs.len() {
        return "All sessions".to_string();
    }
    if open.is_empty() {
        return "No sessions".to_string();
    }
    let mut titles = String::new();
    let mut shown = 0;
    for s in &open {
        let next = if titles.is_empty() { s.title.clone() } else { format!("{titles}, {}", s.title) };
        if shown > 0 && next.chars().count() > ACCESS_TITLES_CHARS {
            break;
        }
        titles = next;
        shown += 1;
    }
    if shown < open.len() {
        titles.push_str(&format!(" +{} more", open.len() - shown));
    }
    let named = theirs
        .iter()
        .any(|s| s.admitted.binary_search(&a.id).is_ok() || s.excluded.binary_search(&a.id).is_ok());
    if named {
        format!("{titles} only")
    } else {
        format!("{} — {titles} only", a.fields.category.label())
    }
}

/// The categories a new session admits: every one but the press.
pub fn default_categories() -> Vec<Category> {
    Category::ALL.into_iter().filter(|c| *c != Category::Press).collect()
}

/// The programme file's word for a session open to no category (people admitted by name only).
pub const NO_CATEGORY: &str = "none";

/// Categories as people list them ("press, observer", "Co-host"); empty, or "none", gives none.
pub fn parse_categories(raw: &str) -> Result<Vec<Category>> {
    if raw.trim().eq_ignore_ascii_case(NO_CATEGORY) {
        return Ok(Vec::new());
    }
    raw.split([',', ';']).map(str::trim).filter(|s| !s.is_empty()).map(Category::parse).collect()
}

/// Categories as stored (wire values joined by commas), in the categories' order.
pub fn categories_from_wire(stored: &str) -> Result<Vec<Category>> {
    let mut out = parse_categories(stored)
        .map_err(|_| Error::Storage(format!("Stored categories {stored:?} are damaged")))?;
    sort_categories(&mut out);
    Ok(out)
}

/// `categories` in the categories' order, each once.
pub fn sort_categories(categories: &mut Vec<Category>) {
    categories.sort_by_key(|c| Category::ALL.iter().position(|x| x == c));
    categories.dedup();
}

/// A clock time at the venue as people type it — "8:00", "08:00", "8.00", "0800", "8" — as
/// "08:00". `end` allows "24:00" (until midnight). `field` names the field in the refusal.
pub fn parse_clock(field: &str, raw: &str, end: bool) -> Result<String> {
    let t = raw.trim();
    let refuse = || {
        Error::invalid(
            field,
            format!(
                "\"{}\" is not a time of day; write it as HH:MM, 00:00 to {}",
                t,
                if end { "24:00" } else { "23:59" }
            ),
        )
    };
    let (h, m) = match t.split_once([':', '.', 'h']) {
        Some((h, m)) => (h, m),
        // Four bytes that are not four ASCII characters ("𞺥") are no time: never split
        // inside a character.
        None if t.len() == 4 && t.is_ascii() => t.split_at(2),
        None if (1..=2).contains(&t.len()) => (t, "00"),
        None => return Err(refuse()),
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return Err(refuse());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| refuse())?, m.parse().map_err(|_| refuse())?);
    if m > 59 || h > 24 || (h == 24 && (m > 0 || !end)) {
        return Err(refuse());
    }
    Ok(format!("{h:02}:{m:02}"))
}

/// A session's title, cleaned and required.
pub fn clean_title(raw: &str) -> Result<String> {
    let t = clean(&SESSION_TITLE, raw)?;
    // A title of characters that draw nothing (a word joiner, a soft hyphen) showed the door
    // a blank session.
    if crate::text::shows_nothing(&t) {
        return Err(Error::invalid("title", "A session needs a title"));
    }
    Ok(t)
}

/// A session's room, cleaned (may be empty). One of characters that draw nothing is refused:
/// it showed blank, and its folded name, empty, skipped the check of two sessions in one room.
pub fn clean_room(raw: &str) -> Result<String> {
    let r = clean(&SESSION_ROOM, raw)?;
    if !r.is_empty() && crate::text::shows_nothing(&r) {
        return Err(Error::invalid(
            "room",
            "The room holds only characters that print nothing: type its name, or leave it empty",
        ));
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(categories: Vec<Category>) -> Session {
        Session {
            id: 1,
            day: 1,
            start: "08:00".into(),
            end: "09:00".into(),
            title: "Welcoming remarks".into(),
            room: String::new(),
            categories,
            admitted: vec![7],
            excluded: vec![9],
        }
    }

    #[test]
    fn clock_times_as_typed() {
        for (raw, want) in
            [("8:00", "08:00"), ("08:00", "08:00"), ("8.30", "08:30"), ("0830", "08:30"), ("8", "08:00")]
        {
            assert_eq!(parse_clock("start", raw, false).unwrap(), want, "{raw}");
        }
        assert_eq!(parse_clock("end", "24:00", true).unwrap(), "24:00");
        for raw in [
            "24:00",
            "25:00",
            "8:60",
            "8:5",
            "",
            "x",
            "-1:00",
            "8:00:00",
            "１２:００",
            "99999999999:00",
            "𞺥",
            "é8",
        ] {
            let e = parse_clock("start", raw, false).unwrap_err();
            assert!(e.to_string().contains("not a time of day"), "{raw}: {e}");
        }
        assert!(parse_clock("end", "24:01", true).is_err());
    }

    #[test]
    fn access_by_name_beats_category_and_exclusion_beats_all() {
        let s = session(default_categories());
        assert_eq!(s.access(1, Category::Delegate), Access::Admitted);
        assert_eq!(s.access(1, Category::Press), Access::ClosedTo(Category::Press));
        assert_eq!(s.access(7, Category::Press), Access::Admitted);
        assert_eq!(s.access(9, Category::Vip), Access::Excluded);
        assert_eq!(
            Access::ClosedTo(Category::Press).refusal().unwrap(),
            "Press — this session is closed to the press"
        );
        assert_eq!(Access::Excluded.refusal().unwrap(), "Not on the list for this session");
        assert_eq!(Access::Admitted.refusal(), None);
    }

    #[test]
    fn the_badge_says_where_one_may_go() {
        let mut remarks = session(Category::ALL.to_vec());
        (remarks.admitted, remarks.excluded) = (vec![], vec![]);
        let mut closed = session(default_categories());
        (closed.id, closed.title, closed.admitted, closed.excluded) =
            (2, "Disaster response".into(), vec![], vec![]);
        let mut day2 = closed.clone();
        (day2.id, day2.day, day2.title) = (3, 2, "Transnational threats".into());
        let person = |id: i64, category: Category, days: Vec<u32>| Attendee {
            id,
            fields: AttendeeFields {
                rank: String::new(),
                given_name: "Ann".into(),
                family_name: "Guest".into(),
                badge_name: None,
                position: String::new(),
                organization: String::new(),
                delegation: "Belize".into(),
                category,
                email: String::new(),
                phone: String::new(),
                days,
                dietary: String::new(),
                accessibility: String::new(),
                notes: String::new(),
                head_of_delegation: false,
                notify_protocol: false,
            },
            display_name: "Ann Guest".into(),
            status: Status::Registered,
            registered_at: None,
            waitlist_position: None,
            created_at: String::new(),
            updated_at: String::new(),
            vetting: Vetting::default(),
        };
        let all = [remarks.clone(), closed.clone(), day2.clone()];
        assert_eq!(access_words(&all, &person(1, Category::Delegate, vec![1, 2])), "All sessions");
        assert_eq!(
            access_words(&all, &person(1, Category::Press, vec![1, 2])),
            "Press — Welcoming remarks only"
        );
        // Only the sessions of their days count.
        assert_eq!(access_words(&all[2..], &person(1, Category::Press, vec![1])), "");
        assert_eq!(access_words(&all[1..], &person(1, Category::Press, vec![1, 2])), "No sessions");
        assert_eq!(access_words(&[], &person(1, Category::Press, vec![1])), "");
        // Named on a list: no category in front.
        let mut listed = closed.clone();
        listed.admitted = vec![5];
        let both = [remarks.clone(), listed, day2.clone()];
        assert_eq!(
            access_words(&both, &person(5, Category::Press, vec![1, 2])),
            "Welcoming remarks, Disaster response only"
        );
        // A long list is shortened.
        let many: Vec<Session> = (0..6)
            .map(|i| Session {
                id: 10 + i,
                title: format!("Session with a long title number {i}"),
                categories: vec![Category::Vip],
                ..closed.clone()
            })
            .chain([Session { categories: vec![Category::Delegate], ..closed.clone() }])
            .collect();
        let words = access_words(&many, &person(1, Category::Vip, vec![1]));
        assert_eq!(words, "VIP — Session with a long title number 0 +5 more only");
    }

    #[test]
    fn overlap_is_strict_at_the_edges() {
        let a = session(vec![]);
        let mut b = session(vec![]);
        b.start = "09:00".into();
        b.end = "10:00".into();
        assert!(!a.overlaps(&b), "one ends as the other starts");
        b.start = "08:59".into();
        assert!(a.overlaps(&b));
        b.day = 2;
        assert!(!a.overlaps(&b));
    }

    #[test]
    fn categories_parse_sort_and_refuse() {
        let mut c = parse_categories("press, Co-host;vip,press").unwrap();
        sort_categories(&mut c);
        assert_eq!(c, [Category::CoHost, Category::Vip, Category::Press]);
        assert!(parse_categories("press,journalists").unwrap_err().to_string().contains("journalists"));
        assert_eq!(default_categories().len(), 7);
        let mut s = session(default_categories());
        assert_eq!(s.open_to_words(), "everyone but the press; admitted by name: #7; excluded: #9");
        (s.admitted, s.excluded) = (vec![], vec![]);
        s.categories = Category::ALL.to_vec();
        assert_eq!(s.open_to_words(), "everyone");
        s.categories = vec![Category::Delegate, Category::Vip];
        assert_eq!(s.open_to_words(), "only Delegate, VIP");
        s.categories = vec![];
        assert_eq!(s.open_to_words(), "nobody by category");
        assert!(!default_categories().contains(&Category::Press));
    }
}
