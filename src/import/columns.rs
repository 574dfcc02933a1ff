//! The columns an invite list may have: the fields, the header names each is known by
//! (with synonyms and other languages), and a list's signature for the mapping remembered.

use crate::error::Result;
use serde::{Deserialize, Deserializer};

/// The attendee fields a column can fill, with the headers people give them (compared with
/// case, accents, spaces and punctuation removed). The canonical header is the first of each.
///
/// Beside our own names, the headers of the tools coordinators export from: Eventbrite
/// (`Prefix`, `First Name`, `Last Name`, `Ticket Type`, `Job Title`, `Company`, `Cell Phone`),
/// Cvent (`Salutation`, `Registration Type`, `Company Name`, `Mobile Phone`), pretix
/// (`Attendee name: Title`, `Attendee name: Given name`, `Product`, `Company`) and Indico
/// (`Affiliation`, `Email Address`, `Country`).
pub(crate) const COLUMNS: &[(&str, &[&str])] = &[
    (
        "rank",
        &[
            "rank",
            "title",
            "titlerank",
            "ranktitle",
            "honorific",
            "salutation",
            "prefix",
            "nameprefix",
            "attendeenametitle",
            "academictitle",
        ],
    ),
    (
        "givenName",
        &[
            "givenname",
            "firstname",
            "first",
            "forename",
            "forenames",
            "given",
            "christianname",
            "attendeenamegivenname",
            "attendeefirstname",
            // French, Spanish, Dutch (co-host and regional languages).
            "prenom",
            "prenoms",
            "nombre",
            "nombres",
            "voornaam",
            "voornamen",
        ],
    ),
    (
        "familyName",
        &[
            "familyname",
            "lastname",
            "surname",
            "last",
            "family",
            "attendeenamefamilyname",
            "attendeelastname",
            "nom",
            "nomdefamille",
            "apellido",
            "apellidos",
            "achternaam",
            "familienaam",
        ],
    ),
    ("badgeName", &["badgename", "nameonbadge", "printedname"]),
    ("position", &["position", "jobtitle", "job", "role", "function"]),
    (
        "organization",
        &[
            "organization",
            "organisation",
            "org",
            "agency",
            "employer",
            "company",
            "companyname",
            "affiliation",
            "institution",
            "organizationname",
            "organisationname",
        ],
    ),
    (
        "delegation",
        &[
            "delegation",
            "countrydelegation",
            "country",
            "nation",
            "countryterritory",
            "delegationcountry",
            "countryregion",
            "delegacion",
            "delegatie",
            "pays",
            "pais",
        ],
    ),
    (
        "category",
        &[
            "category",
            "type",
            "participanttype",
            "attendeetype",
            "participantcategory",
            "tickettype",
            "registrationtype",
            "ticket",
            "registrationcategory",
            "product",
            "categorie",
            "categoria",
        ],
    ),
    ("email", &["email", "emailaddress", "mail", "attendeeemail"]),
    (
        "phone",
        &[
            "phone",
            "mobile",
            "telephone",
            "tel",
            "phonenumber",
            "mobilephone",
            "cell",
            "cellphone",
            "workphone",
            "homephone",
        ],
    ),
    ("days", &["days", "attendingdays", "daysattending", "attendance", "day"]),
    ("dietary", &["dietary", "dietaryrequirements", "diet", "dietaryneeds", "dietaryrestrictions"]),
    ("accessibility", &["accessibility", "accessibilityneeds", "access", "specialneeds", "accessneeds"]),
    ("notes", &["notes", "note", "comments", "comment", "remarks"]),
    ("headOfDelegation", &["headofdelegation", "hod", "delegationhead", "headofdel"]),
    ("notifyProtocol", &["notifyprotocol", "protocol", "protocolnotice", "vipprotocol"]),
    (
        "vetting",
        &["vetting", "vettingstate", "vettingstatus", "securityvetting", "clearance", "securityclearance"],
    ),
    ("vettingNote", &["vettingnote", "securitynote", "vettingnotes", "clearancenote"]),
];

pub(crate) fn header_key(h: &str) -> String {
    // Folded first: "Prénom" and "Délégation" are "prenom" and "delegation" (they matched
    // nothing, and a French list was refused as having no name column).
    crate::text::fold(h).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Which field a header names, if any.
pub fn field_for_header(header: &str) -> Option<&'static str> {
    let key = header_key(header);
    COLUMNS.iter().find(|(_, names)| names.contains(&key.as_str())).map(|(f, _)| *f)
}

/// The field a coordinator named for a column, as typed ("email", "Given name", "category"):
/// `Some(None)` for "not used" (empty, "none", "ignore"), `None` when no field has that name.
pub fn field_named(name: &str) -> Option<Option<&'static str>> {
    let key = header_key(name);
    if key.is_empty() || key == "none" || key == "ignore" || key == "notused" {
        return Some(None);
    }
    COLUMNS
        .iter()
        .find(|(f, names)| header_key(f) == key || names.contains(&key.as_str()))
        .map(|(f, _)| Some(*f))
}

/// The fields a column can be read as, for the window's choice and for messages.
pub fn field_names() -> Vec<&'static str> {
    COLUMNS.iter().map(|(f, _)| *f).collect()
}

/// A name the code spells (a field, a source): written as text, read back as the same name.
/// (An alias: serde would read a `&'static str` field as borrowed from its input.)
pub type Static = &'static str;

/// A field's wire name read back (a stored import outcome): the static name it stands for.
pub(crate) fn static_field(name: &str) -> Option<&'static str> {
    COLUMNS.iter().map(|(f, _)| *f).find(|f| *f == name)
}

pub(crate) fn known_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(name) => static_field(&name)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown field {name}"))),
    }
}

pub(crate) fn known_fields<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|name| {
            static_field(name).ok_or_else(|| serde::de::Error::custom(format!("unknown field {name}")))
        })
        .collect()
}

pub(crate) fn known_source<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = String::deserialize(d)?;
    ["header", "manual", "remembered", "none"]
        .into_iter()
        .find(|s| *s == name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown source {name}")))
}

/// The signature of a header line: its folded headers, in order. Mappings are remembered by it.
pub(crate) fn signature(headers: &[String]) -> String {
    headers.iter().map(|h| header_key(h)).collect::<Vec<_>>().join("\u{1f}")
}
