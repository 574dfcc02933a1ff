//! The one error type of the core, and how it reaches the UI and the CLI. It knows no
//! database driver: the conversions from SQLite's and PostgreSQL's errors live in the store
//! (`store::convert`), the only place that knows the engines.
//!
//! Every failure is one of eight kinds. Messages are written for a desk operator and name the
//! offending value. On the wire an error is `{kind, message, field?, fields?, confirm?, stale?, typed?}`.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// One refused field of a validation error: the wire name of the field and why it was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldIssue {
    /// The camelCase wire name of the field (`givenName`, `email`, `capacity`, …).
    pub field: String,
    /// What is wrong with the value, written for the operator.
    pub message: String,
}

/// Everything that can go wrong in Delegate Desk.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A value typed by a person or read from a file was refused. `issues` holds every refused
    /// field (at least one); the first is the one named by `field`.
    #[error("{}", .issues.first().map(|i| i.message.as_str()).unwrap_or("invalid input"))]
    Validation {
        /// Every refused field, in form order.
        issues: Vec<FieldIssue>,
    },
    /// The attendee (or other record) asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The action is not allowed in the current state: a duplicate, the capacity, a status
    /// transition.
    #[error("{0}")]
    Conflict(String),
    /// The action was not done because it needs a yes first (a badge printed already, a
    /// session people were checked in to): asked again with its `force` or `again` it is done.
    /// On the wire it is a `conflict` with `confirm: true`, so the window can ask the question
    /// without reading the words.
    #[error("{0}")]
    Confirm(String),
    /// A form's save refused because a field typed in it was changed at another desk since the
    /// form was filled (see [`crate::EventInput::since_loaded`]). On the wire it is a
    /// `conflict` with `stale: true` and `typed`, so the window takes the stored values as what
    /// the form was filled with, keeping what was typed, without reading the words.
    #[error("{message}")]
    Stale {
        /// The refusal, naming each field changed at both desks with its stored value.
        message: String,
        /// The fields the form changed, as the desk judged them (a time typed another way, a
        /// space added, is no change), by their names on the wire ("capacity", "givenName";
        /// "themes.2" for the theme of day 2): what the window keeps as typed when it fills
        /// the rest of the form with what is stored.
        typed: Vec<String>,
    },
    /// A coordinator-only action asked for in the window while the coordinator PIN has not
    /// been entered (see [`crate::coordinator`]). The window asks for the PIN and tries again.
    #[error("{0}")]
    CoordinatorOnly(String),
    /// The database could not be opened, read or written.
    #[error("{0}")]
    Storage(String),
    /// The database server cannot be reached (the connection was lost or refused): the desk
    /// reconnects by itself, and meanwhile shows the roster as it last read it, read-only.
    #[error("{0}")]
    Unreachable(String),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(String),
    /// A bug: something that should not happen.
    #[error("{0}")]
    Internal(String),
}

/// Shorthand for results of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A validation error on one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::Validation { issues: vec![FieldIssue { field: field.to_string(), message: message.into() }] }
    }

    /// The wire name of the kind: `validation`, `notFound`, `conflict`, `coordinatorOnly`,
    /// `storage`, `unreachable`, `io`, `internal`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::NotFound(_) => "notFound",
            Error::Conflict(_) | Error::Confirm(_) | Error::Stale { .. } => "conflict",
            Error::CoordinatorOnly(_) => "coordinatorOnly",
            Error::Storage(_) => "storage",
            Error::Unreachable(_) => "unreachable",
            Error::Io(_) => "io",
            Error::Internal(_) => "internal",
        }
    }

    /// The same error with the refused field `from` named `to` instead: for a value checked
    /// by a rule that names it otherwise (the current PIN checked as a PIN).
    pub fn on_field(mut self, from: &str, to: &str) -> Self {
        if let Error::Validation { issues } = &mut self {
            for i in issues.iter_mut().filter(|i| i.field == from) {
                i.field = to.to_string();
            }
        }
        self
    }

    /// The first refused field of a validation error.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { issues } => issues.first().map(|i| i.field.as_str()),
            _ => None,
        }
    }

    /// Whether the failure is the user's to fix (bad input or refused action): the CLI exits
    /// with 2 for these and with 1 for the others.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::Validation { .. }
                | Error::NotFound(_)
                | Error::Conflict(_)
                | Error::Confirm(_)
                | Error::Stale { .. }
                | Error::CoordinatorOnly(_)
        )
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let validation = matches!(self, Error::Validation { .. });
        let confirm = matches!(self, Error::Confirm(_));
        let stale = matches!(self, Error::Stale { .. });
        let fields = if validation { 4 } else { 2 + usize::from(confirm) + 2 * usize::from(stale) };
        let mut s = serializer.serialize_struct("Error", fields)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        if confirm {
            s.serialize_field("confirm", &true)?;
        }
        if let Error::Stale { typed, .. } = self {
            s.serialize_field("stale", &true)?;
            s.serialize_field("typed", typed)?;
        }
        if let Error::Validation { issues } = self {
            s.serialize_field("field", &self.field())?;
            s.serialize_field("fields", issues)?;
        }
        s.end()
    }
}

/// An error and its causes, "outer: inner: innermost", for messages that must say why.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Internal(format!("JSON error: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_serializes_kind_message_field() {
        let e = Error::invalid("email", "Email \"x\" has no @");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "validation");
        assert_eq!(v["message"], "Email \"x\" has no @");
        assert_eq!(v["field"], "email");
        assert_eq!(v["fields"][0]["field"], "email");
    }

    #[test]
    fn other_kinds_have_no_field() {
        let v = serde_json::to_value(Error::Conflict("full".into())).unwrap();
        assert_eq!(v, serde_json::json!({"kind": "conflict", "message": "full"}));
        assert!(Error::NotFound("x".into()).is_user_error());
        assert!(!Error::Storage("x".into()).is_user_error());
    }

    #[test]
    fn a_question_is_a_conflict_that_says_so() {
        let v = serde_json::to_value(Error::Confirm("Already printed — print again?".into())).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"kind": "conflict", "message": "Already printed — print again?", "confirm": true})
        );
        assert!(Error::Confirm("x".into()).is_user_error());
    }

    #[test]
    fn a_stale_form_is_a_conflict_that_says_so() {
        let e = Error::Stale { message: "Changed at another desk".into(), typed: vec!["capacity".into()] };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"kind": "conflict", "message": "Changed at another desk", "stale": true, "typed": ["capacity"]})
        );
        assert!(e.is_user_error());
    }
}
