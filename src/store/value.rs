//! The values sent to and read from either engine: [`Value`], what converts into one
//! ([`ToValue`], the `params!` macro) and out of one ([`FromValue`]), and each driver's view
//! of it.

use crate::error::{Error, Result};

/// A value sent to or read from the database.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (SQLite INTEGER, PostgreSQL BIGINT and smaller, or a boolean as 0/1).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
}

/// A Rust value sent as a statement's parameter (by reference: nothing is moved).
pub trait ToValue {
    /// The value to send.
    fn to_value(&self) -> Value;
}

macro_rules! to_value_int {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
to_value_int!(i64, i32, u32, u16, u8, bool);

impl ToValue for usize {
    fn to_value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}
impl ToValue for u64 {
    fn to_value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for f32 {
    fn to_value(&self) -> Value {
        Value::Real(f64::from(*self))
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

/// The parameters of a statement, in order: `params![a, b]` is `&[a.to_value(), …]`, each
/// taken by reference.
#[macro_export]
macro_rules! params {
    () => { &[] as &[$crate::store::db::Value] };
    ($($v:expr),+ $(,)?) => { &[$($crate::store::db::ToValue::to_value(&$v)),+] as &[$crate::store::db::Value] };
}

/// A Rust type read from a column.
pub trait FromValue: Sized {
    /// Convert `v`, or say what was found instead.
    fn from_value(v: Value) -> std::result::Result<Self, String>;
}

impl FromValue for Value {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        Ok(v)
    }
}
impl FromValue for i64 {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}
macro_rules! from_value_int {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> std::result::Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} does not fit in {}", stringify!($t)))
            }
        }
    )*};
}
from_value_int!(i32, u32, u64, usize, u8, u16);

impl FromValue for bool {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        Ok(i64::from_value(v)? != 0)
    }
}
impl FromValue for f64 {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}
impl FromValue for String {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

pub(crate) fn pg_value(r: &postgres::Row, i: usize) -> Result<Value> {
    use postgres::types::Type;
    let Some(column) = r.columns().get(i) else {
        return Err(Error::Internal(format!("The query has no column {i}")));
    };
    let ty = column.type_().clone();
    let v = if ty == Type::INT8 {
        r.try_get::<_, Option<i64>>(i)?.map(Value::Int)
    } else if ty == Type::INT4 {
        r.try_get::<_, Option<i32>>(i)?.map(|n| Value::Int(n.into()))
    } else if ty == Type::INT2 {
        r.try_get::<_, Option<i16>>(i)?.map(|n| Value::Int(n.into()))
    } else if ty == Type::BOOL {
        r.try_get::<_, Option<bool>>(i)?.map(|b| Value::Int(b.into()))
    } else if ty == Type::FLOAT8 {
        r.try_get::<_, Option<f64>>(i)?.map(Value::Real)
    } else if ty == Type::FLOAT4 {
        r.try_get::<_, Option<f32>>(i)?.map(|f| Value::Real(f.into()))
    } else if [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME, Type::UNKNOWN].contains(&ty) {
        r.try_get::<_, Option<String>>(i)?.map(Value::Text)
    } else {
        return Err(Error::Internal(format!(
            "Column {i} ({}) has the type {ty}, which the desk does not read; cast it in the query",
            column.name()
        )));
    };
    Ok(v.unwrap_or(Value::Null))
}

impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        let wrong = |what: &str| -> Box<dyn std::error::Error + Sync + Send> {
            format!("cannot send {what} as a {ty} parameter").into()
        };
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) => {
                if *ty == Type::INT8 {
                    n.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(*n).map_err(|_| wrong("a large integer"))?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*n).map_err(|_| wrong("a large integer"))?.to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*n != 0).to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    (*n as f64).to_sql(ty, out)
                } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
                    n.to_string().to_sql(ty, out)
                } else {
                    Err(wrong("an integer"))
                }
            }
            Value::Real(f) => {
                if *ty == Type::FLOAT8 {
                    f.to_sql(ty, out)
                } else if *ty == Type::FLOAT4 {
                    (*f as f32).to_sql(ty, out)
                } else {
                    Err(wrong("a number"))
                }
            }
            Value::Text(s) => {
                if *ty == Type::TEXT || *ty == Type::VARCHAR || *ty == Type::BPCHAR || *ty == Type::NAME {
                    s.as_str().to_sql(ty, out)
                } else {
                    Err(wrong("text"))
                }
            }
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(n) => ValueRef::Integer(*n),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}
