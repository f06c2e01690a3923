use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// One desired-state file: its name for messages and its text, kept so that every error can
/// point into it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or a label such as `<desired>`).
    pub name: String,
    /// The file's full text.
    pub text: String,
}

impl SourceFile {
    /// Wraps text that did not come from disk.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile { name: name.into(), text: text.into() }
    }

    /// Reads a file, with an error that names it.
    pub fn read(path: &Path) -> Result<Self, SourceError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| SourceError::Read { path: path.to_path_buf(), reason: e.to_string() })?;
        Ok(SourceFile { name: path.display().to_string(), text })
    }

    /// The 1-based line and column of a byte offset (one inside a character counts as that
    /// character's).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.char_start(offset);
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }

    /// The byte offset of a 1-based line and character column (as `sqlparser` reports them).
    pub fn offset_of(&self, line: u64, column: u64) -> usize {
        if line == 0 {
            return 0;
        }
        let mut start = 0usize;
        for _ in 1..line {
            match self.text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return self.text.len(),
            }
        }
        let rest = &self.text[start..];
        let skip = column.saturating_sub(1) as usize;
        start + rest.char_indices().nth(skip).map(|(i, _)| i).unwrap_or(rest.len())
    }

    /// `offset`, within the text, moved back to the start of the character it falls in: a
    /// parser that works on bytes (hcl-edit's) may report an error inside a multi-byte
    /// character, and the text cannot be cut there.
    fn char_start(&self, offset: usize) -> usize {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// `span` (start, length in bytes) widened to whole characters and cut at the end of the
    /// text, so that a report can underline it.
    fn char_span(&self, span: (usize, usize)) -> (usize, usize) {
        let start = self.char_start(span.0);
        if span.1 == 0 {
            return (start, 0);
        }
        let mut end = span.0.saturating_add(span.1).min(self.text.len()).max(start);
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        (start, end - start)
    }

    /// The text as a miette source, for reports that underline a span of it.
    pub fn named_source(&self) -> NamedSource<String> {
        NamedSource::new(&self.name, self.text.clone())
    }

    /// An error at `span` (start, length in bytes) of this file, with a message and a help line.
    pub fn error_at(
        &self,
        span: (usize, usize),
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) -> SourceError {
        let span = self.char_span(span);
        let (line, col) = self.line_col(span.0);
        SourceError::At {
            message: message.into(),
            file: self.name.clone(),
            line,
            col,
            src: self.named_source(),
            span: SourceSpan::new(span.0.into(), span.1),
            label: label.into(),
            help,
        }
    }
}

/// An error in a desired-state source: unreadable, or wrong at a place in its text.
#[derive(Debug, Error, Diagnostic)]
pub enum SourceError {
    /// The file could not be read at all.
    #[error("cannot read {}: {reason}", path.display())]
    #[diagnostic(
        code(schema::source::read),
        help("check the path; a SOURCE is a .sql or .hcl file, a directory of them, or a database URL")
    )]
    Read {
        /// The path that failed.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// Something at a known place in the file is wrong.
    #[error("{file}:{line}:{col}: {message}")]
    At {
        /// What is wrong.
        message: String,
        /// The file's name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("{label}")]
        span: SourceSpan,
        /// The label under the span.
        label: String,
        /// What to do about it.
        #[help]
        help: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip() {
        let f = SourceFile::new("x.sql", "a\nbé c\n");
        let off = f.offset_of(2, 3);
        assert_eq!(&f.text[off..off + 1], " ");
        assert_eq!(f.line_col(off), (2, 3));
    }

    #[test]
    fn an_offset_inside_a_character_points_at_the_character() {
        // hcl-edit reports the syntax error of `b{猗` at byte 3, inside the three bytes of `猗`.
        let f = SourceFile::new("x.hcl", "b{猗");
        assert_eq!(f.line_col(3), (1, 3));
        let SourceError::At { line, col, span, .. } = f.error_at((3, 1), "bad", "here", None) else {
            panic!("an error at a place")
        };
        assert_eq!((line, col, span.offset(), span.len()), (1, 3, 2, 3));
        let SourceError::At { span, .. } = f.error_at((4, 9), "bad", "here", None) else { panic!() };
        assert_eq!((span.offset(), span.len()), (2, 3));
        let SourceError::At { span, .. } = f.error_at((9, 0), "bad", "here", None) else { panic!() };
        assert_eq!((span.offset(), span.len()), (5, 0));
    }
}
