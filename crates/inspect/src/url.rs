//! Database URLs: which dialect they name, and a form safe to print.

use schema_model::Dialect;

use crate::Error;

/// A parsed database URL. The secret form is only handed to the driver; everything printed
/// uses [`DbUrl::redacted`].
#[derive(Clone)]
pub struct DbUrl {
    /// The dialect the scheme names.
    pub dialect: Dialect,
    secret: String,
    redacted: String,
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted)
    }
}

impl std::fmt::Display for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted)
    }
}

/// True when `s` looks like a database URL rather than a file path.
pub fn is_url(s: &str) -> bool {
    ["sqlite:", "postgres://", "postgresql://", "mysql://", "mariadb://"].iter().any(|p| s.starts_with(p))
}

/// Hides the password of any `scheme://user:password@host` in `text`, for messages that may
/// quote a URL or a driver error that contains one.
pub fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail.find(|c: char| c.is_whitespace() || c == '/' || c == '"' || c == '\'').unwrap_or(tail.len());
        let authority = &tail[..end];
        match (authority.rfind('@'), authority.find(':')) {
            (Some(at), Some(colon)) if colon < at => {
                out.push_str(&authority[..colon]);
                out.push_str(":***");
                out.push_str(&authority[at..]);
            }
            _ => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

impl DbUrl {
    /// Parses a URL of one of the supported schemes.
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let redacted = redact_text(raw);
        let dialect = if raw.starts_with("sqlite:") {
            Dialect::Sqlite
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Dialect::Postgres
        } else if raw.starts_with("mysql://") || raw.starts_with("mariadb://") {
            Dialect::Mysql
        } else {
            return Err(Error::BadUrl {
                url: redacted,
                reason: "unknown scheme; use sqlite://FILE, sqlite::memory:, postgres://… or mysql://…".into(),
            });
        };
        if dialect != Dialect::Sqlite {
            url::Url::parse(raw).map_err(|e| Error::BadUrl { url: redacted.clone(), reason: e.to_string() })?;
        } else if DbUrl::sqlite_path_of(raw).is_empty() {
            return Err(Error::BadUrl { url: redacted, reason: "no file name; use sqlite://path/to/file.db".into() });
        }
        Ok(DbUrl { dialect, secret: raw.to_string(), redacted })
    }

    /// The URL with its password hidden.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    /// The URL with its password, for the driver only.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    fn sqlite_path_of(raw: &str) -> &str {
        let rest = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")).unwrap_or(raw);
        rest.split('?').next().unwrap_or("")
    }

    /// For `sqlite:` URLs: the file path, or `:memory:`.
    pub fn sqlite_path(&self) -> &str {
        DbUrl::sqlite_path_of(&self.secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        let u = DbUrl::parse("postgres://bob:s3cret@db:5432/app?sslmode=require").unwrap();
        assert_eq!(u.to_string(), "postgres://bob:***@db:5432/app?sslmode=require");
        assert!(!format!("{u:?}").contains("s3cret"));
        assert_eq!(redact_text("error for mysql://r:pw@h/db: boom"), "error for mysql://r:***@h/db: boom");
    }

    #[test]
    fn sqlite_forms() {
        assert_eq!(DbUrl::parse("sqlite://a/b.db").unwrap().sqlite_path(), "a/b.db");
        assert_eq!(DbUrl::parse("sqlite::memory:").unwrap().sqlite_path(), ":memory:");
        assert!(DbUrl::parse("sqlite://").is_err());
        assert!(DbUrl::parse("oracle://x").is_err());
    }
}
