//! `schema.toml`: the project's safety policy and its named environments, so that
//! `schema apply --env prod` needs no other flag. `${NAME}` in a value is read from the
//! environment (secrets stay out of the file). Errors point at the line in the file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use miette::{Diagnostic, NamedSource, SourceSpan};
use schema_diff::HazardCode;
use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

/// The file looked for in the current directory when `--config` is not given.
pub const FILE_NAME: &str = "schema.toml";

/// A mistake in `schema.toml`, with the place it is at.
#[derive(Debug, Error, Diagnostic)]
#[error("{file}:{line}: {message}")]
#[diagnostic(code(schema::config))]
pub struct ConfigError {
    /// What is wrong.
    message: String,
    /// The file.
    file: String,
    /// 1-based line.
    line: usize,
    /// The file's text.
    #[source_code]
    src: NamedSource<String>,
    /// Where.
    #[label("here")]
    span: Option<SourceSpan>,
}

/// The whole file, as written.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    /// Project-wide policy; every environment starts from it.
    #[serde(default)]
    policy: Settings,
    /// Named environments.
    #[serde(default)]
    env: BTreeMap<String, Settings>,
}

/// What the policy section and an environment may set; every key is optional.
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    url: Option<Spanned<String>>,
    dev_url: Option<Spanned<String>>,
    to: Option<Vec<Spanned<String>>>,
    schemas: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    manage_roles: Option<Vec<String>>,
    allow: Option<Vec<Spanned<String>>>,
    allow_destructive: Option<bool>,
    online: Option<bool>,
    lock_timeout: Option<Spanned<String>>,
    statement_timeout: Option<Spanned<String>>,
    long_statement_timeout: Option<Spanned<String>>,
    lock_attempts: Option<u32>,
}

/// One environment resolved: the policy section overlaid with the environment's own keys,
/// `${NAME}` substituted, durations and hazard codes checked.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Environment {
    /// The database.
    pub url: Option<String>,
    /// The dev database.
    pub dev_url: Option<String>,
    /// The desired state sources, relative paths taken from the file's directory.
    pub to: Vec<String>,
    /// Only these schemas.
    pub schemas: Vec<String>,
    /// Leave out these globs.
    pub exclude: Vec<String>,
    /// `--manage-roles` rules: whose privileges are managed.
    pub manage_roles: Vec<String>,
    /// Hazard codes allowed.
    pub allow: Vec<HazardCode>,
    /// The destructive codes are allowed.
    pub allow_destructive: bool,
    /// Plan online by default.
    pub online: bool,
    /// Lock wait and step `lock_timeout`.
    pub lock_timeout: Option<Duration>,
    /// Online ordinary steps' `statement_timeout`.
    pub statement_timeout: Option<Duration>,
    /// Online long-running steps' `statement_timeout`.
    pub long_statement_timeout: Option<Duration>,
    /// Attempts of a step that gives up on its lock timeout.
    pub lock_attempts: Option<u32>,
}

/// A loaded `schema.toml`.
pub struct Config {
    path: PathBuf,
    text: String,
    file: File,
}

impl Config {
    /// Reads `explicit`, or else `schema.toml` in the current directory if there is one.
    pub fn find(explicit: Option<&Path>) -> Result<Option<Config>, Box<ConfigError>> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None if Path::new(FILE_NAME).is_file() => PathBuf::from(FILE_NAME),
            None => return Ok(None),
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Self::error_in(&path, "", format!("cannot read the project file: {e}"), None))?;
        Self::parse(path, text).map(Some)
    }

    /// Parses the text of a project file.
    pub fn parse(path: PathBuf, text: String) -> Result<Config, Box<ConfigError>> {
        let file: File =
            toml::from_str(&text).map_err(|e| Self::error_in(&path, &text, e.message().to_string(), e.span()))?;
        Ok(Config { path, text, file })
    }

    fn error_in(path: &Path, text: &str, message: String, span: Option<Range<usize>>) -> Box<ConfigError> {
        let line = span.as_ref().map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let file = path.display().to_string();
        Box::new(ConfigError {
            message,
            src: NamedSource::new(&file, text.to_string()),
            file,
            line,
            span: span.map(|s| SourceSpan::from(s.start..s.end.max(s.start + 1).min(text.len().max(1)))),
        })
    }

    fn error(&self, message: String, span: Range<usize>) -> Box<ConfigError> {
        Self::error_in(&self.path, &self.text, message, Some(span))
    }

    /// The environment `name` (the policy section alone when `None`).
    pub fn environment(&self, name: Option<&str>) -> Result<Environment, Box<ConfigError>> {
        let policy = &self.file.policy;
        let own = match name {
            None => Settings::default(),
            Some(n) => self.file.env.get(n).cloned().ok_or_else(|| {
                let known: Vec<&str> = self.file.env.keys().map(String::as_str).collect();
                let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
                Self::error_in(
                    &self.path,
                    &self.text,
                    format!("no environment {n:?} ([env.{n}]) in the project file; environments: {known}"),
                    None,
                )
            })?,
        };
        let pick = |a: &Option<Spanned<String>>, b: &Option<Spanned<String>>| a.clone().or_else(|| b.clone());
        let mut allow = Vec::new();
        for code in policy.allow.iter().flatten().chain(own.allow.iter().flatten()) {
            let c = HazardCode::parse(code.get_ref()).ok_or_else(|| {
                let known: Vec<&str> = HazardCode::ALL.iter().map(|c| c.id()).collect();
                self.error(
                    format!("unknown hazard code {:?}; known codes: {}", code.get_ref(), known.join(", ")),
                    code.span(),
                )
            })?;
            allow.push(c);
        }
        let base = self.path.parent().filter(|p| !p.as_os_str().is_empty()).map(Path::to_path_buf);
        let to = match own.to.as_ref().or(policy.to.as_ref()) {
            Some(list) => list
                .iter()
                .map(|s| {
                    let v = self.interpolate(s)?;
                    Ok(match &base {
                        Some(b) if !schema_inspect::is_url(&v) && Path::new(&v).is_relative() => {
                            b.join(&v).display().to_string()
                        }
                        _ => v,
                    })
                })
                .collect::<Result<Vec<_>, Box<ConfigError>>>()?,
            None => vec![],
        };
        Ok(Environment {
            url: pick(&own.url, &policy.url).map(|s| self.interpolate(&s)).transpose()?,
            dev_url: pick(&own.dev_url, &policy.dev_url).map(|s| self.interpolate(&s)).transpose()?,
            to,
            schemas: own.schemas.clone().or_else(|| policy.schemas.clone()).unwrap_or_default(),
            exclude: own.exclude.clone().or_else(|| policy.exclude.clone()).unwrap_or_default(),
            manage_roles: own.manage_roles.clone().or_else(|| policy.manage_roles.clone()).unwrap_or_default(),
            allow,
            allow_destructive: own.allow_destructive.or(policy.allow_destructive).unwrap_or(false),
            online: own.online.or(policy.online).unwrap_or(false),
            lock_timeout: self.duration(&pick(&own.lock_timeout, &policy.lock_timeout))?,
            statement_timeout: self.duration(&pick(&own.statement_timeout, &policy.statement_timeout))?,
            long_statement_timeout: self
                .duration(&pick(&own.long_statement_timeout, &policy.long_statement_timeout))?,
            lock_attempts: match own.lock_attempts.or(policy.lock_attempts) {
                Some(0) => {
                    return Err(Self::error_in(&self.path, &self.text, "lock-attempts must be at least 1".into(), None))
                }
                n => n,
            },
        })
    }

    fn duration(&self, v: &Option<Spanned<String>>) -> Result<Option<Duration>, Box<ConfigError>> {
        v.as_ref()
            .map(|s| {
                humantime::parse_duration(s.get_ref()).map_err(|e| {
                    self.error(format!("{:?} is not a duration like 10s or 2m: {e}", s.get_ref()), s.span())
                })
            })
            .transpose()
    }

    /// Substitutes every `${NAME}` with the environment variable's value; `$$` is one `$`.
    fn interpolate(&self, v: &Spanned<String>) -> Result<String, Box<ConfigError>> {
        interpolate(v.get_ref(), |name| std::env::var(name).ok()).map_err(|message| self.error(message, v.span()))
    }
}

/// `${NAME}` replaced through `lookup`; `$$` is a literal `$`. The error names the variable,
/// never a value.
fn interpolate(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(tail) = after.strip_prefix('{') {
            let end = tail.find('}').ok_or("`${` without its closing `}`")?;
            let name = &tail[..end];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("{name:?} is not an environment variable name"));
            }
            out.push_str(&lookup(name).ok_or_else(|| format!("the environment variable {name} is not set"))?);
            rest = &tail[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Box<ConfigError>> {
        Config::parse(PathBuf::from("conf/schema.toml"), text.to_string())
    }

    #[test]
    fn variables_are_substituted_and_missing_ones_named() {
        let vars = |n: &str| (n == "PW").then(|| "s3cret".to_string());
        assert_eq!(interpolate("postgres://u:${PW}@h/db", vars).unwrap(), "postgres://u:s3cret@h/db");
        assert_eq!(interpolate("a$$b$c", vars).unwrap(), "a$b$c");
        assert_eq!(interpolate("${NOPE}", vars).unwrap_err(), "the environment variable NOPE is not set");
        assert!(interpolate("${PW", vars).is_err());
    }

    #[test]
    fn environments_overlay_the_policy() {
        let c = parse(
            "[policy]\nallow = [\"LK106\"]\nonline = true\nlock-timeout = \"3s\"\n\n[env.prod]\nurl = \"sqlite://p.db\"\nto = [\"schema\"]\nallow = [\"MF101\"]\nonline = false\n",
        )
        .unwrap();
        let e = c.environment(Some("prod")).unwrap();
        assert_eq!(e.url.as_deref(), Some("sqlite://p.db"));
        assert_eq!(e.to, ["conf/schema"]);
        assert_eq!(e.allow, [HazardCode::LK106, HazardCode::MF101]);
        assert!(!e.online);
        assert_eq!(e.lock_timeout, Some(Duration::from_secs(3)));
        assert!(c.environment(None).unwrap().online);
    }

    #[test]
    fn mistakes_point_at_their_line() {
        let e =
            parse("[env.prod]\nurl = \"x\"\nlock-timeout = \"soon\"\n").unwrap().environment(Some("prod")).unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (3, "conf/schema.toml"), "{e}");
        assert!(e.message.contains("not a duration"), "{e}");
        let e = parse("[env.prod]\nurl = \"x\"\n\nalow = [\"DS102\"]\n").err().unwrap();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("unknown field `alow`"), "{e}");
        let e = parse("[policy]\nallow = [\"LK999\"]\n").unwrap().environment(None).unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("[env.dev]\n").unwrap().environment(Some("prod")).unwrap_err();
        assert!(e.message.contains("environments: dev"), "{e}");
    }
}
