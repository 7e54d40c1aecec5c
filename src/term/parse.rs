//! Reading a literal Erlang term from text, as `oxbeam call` takes its
//! arguments: numbers (`42`, `-7`, `16#ff`, `1_000`, `$a`, `1.5e3`), atoms
//! (`ok`, `'quoted atom'`), strings (`"abc"`, adjacent strings joined),
//! lists (`[1, 2 | T]`), tuples, maps (`#{k => v}`) and binaries
//! (`<<1, 2:4, "txt">>`). Escapes are Erlang's (`\n`, `\x{1F600}`, `\101`,
//! `\^A`, ...). Variables and expressions are not terms and are rejected.

use num_bigint::BigInt;
use num_traits::Num;

use super::{build, map, Atom, Term};
use crate::heap::TermAlloc;

/// Where and why text is not a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Character offset of the problem.
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at character {}", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

/// Parses `text` as one term (an optional final `.` is allowed).
pub fn parse_term(text: &str, heap: &mut impl TermAlloc) -> Result<Term, ParseError> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
    };
    let term = parser.term(heap, 0)?;
    parser.skip_space();
    if parser.peek() == Some('.') {
        parser.pos += 1;
        parser.skip_space();
    }
    if parser.pos < parser.chars.len() {
        return Err(parser.error("unexpected text after the term"));
    }
    Ok(term)
}

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 1_000;

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn error(&self, message: &str) -> ParseError {
        ParseError {
            offset: self.pos,
            message: message.to_owned(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn next(&mut self) -> Result<char, ParseError> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("unexpected end of text"))?;
        self.pos += 1;
        Ok(c)
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += 1;
            } else if c == '%' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn expect(&mut self, text: &str) -> Result<(), ParseError> {
        self.skip_space();
        for expected in text.chars() {
            if self.peek() != Some(expected) {
                return Err(self.error(&format!("expected `{text}`")));
            }
            self.pos += 1;
        }
        Ok(())
    }

    /// Consumes `text` if it comes next.
    fn eat(&mut self, text: &str) -> bool {
        self.skip_space();
        let matches = text
            .chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c));
        if matches {
            self.pos += text.chars().count();
        }
        matches
    }

    fn term(&mut self, heap: &mut impl TermAlloc, depth: usize) -> Result<Term, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("term nested too deeply"));
        }
        self.skip_space();
        let c = self.peek().ok_or_else(|| self.error("expected a term"))?;
        match c {
            '[' => self.list(heap, depth),
            '{' => {
                self.pos += 1;
                let elements = self.sequence(heap, depth, '}')?;
                Ok(build::tuple(heap, &elements))
            }
            '#' => self.map(heap, depth),
            '<' if self.peek_at(1) == Some('<') => self.binary(heap),
            '"' => {
                let chars = self.strings()?;
                let items: Vec<Term> = chars.iter().map(|&c| Term::small(c as i64)).collect();
                Ok(build::list(heap, &items))
            }
            '\'' => {
                self.pos += 1;
                let name = self.quoted('\'')?;
                self.atom(&name)
            }
            '$' | '-' | '+' | '0'..='9' => self.number(heap),
            c if is_atom_start(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_atom_char) {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                self.atom(&name)
            }
            _ => Err(self.error("expected a term")),
        }
    }

    fn atom(&self, name: &str) -> Result<Term, ParseError> {
        Atom::intern(name)
            .map(Term::atom)
            .map_err(|_| self.error("atom too long"))
    }

    /// Terms separated by commas up to `close` (already past the opener).
    fn sequence(
        &mut self,
        heap: &mut impl TermAlloc,
        depth: usize,
        close: char,
    ) -> Result<Vec<Term>, ParseError> {
        let mut items = Vec::new();
        if self.eat(&close.to_string()) {
            return Ok(items);
        }
        loop {
            items.push(self.term(heap, depth + 1)?);
            if self.eat(",") {
                continue;
            }
            self.expect(&close.to_string())?;
            return Ok(items);
        }
    }

    fn list(&mut self, heap: &mut impl TermAlloc, depth: usize) -> Result<Term, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        if self.eat("]") {
            return Ok(Term::NIL);
        }
        loop {
            items.push(self.term(heap, depth + 1)?);
            if self.eat(",") {
                continue;
            }
            let tail = if self.eat("|") {
                self.term(heap, depth + 1)?
            } else {
                Term::NIL
            };
            self.expect("]")?;
            return Ok(build::list_with_tail(heap, &items, tail));
        }
    }

    fn map(&mut self, heap: &mut impl TermAlloc, depth: usize) -> Result<Term, ParseError> {
        self.pos += 1;
        self.expect("{")?;
        let mut pairs = Vec::new();
        if !self.eat("}") {
            loop {
                let key = self.term(heap, depth + 1)?;
                self.expect("=>")?;
                let value = self.term(heap, depth + 1)?;
                pairs.push((key, value));
                if self.eat(",") {
                    continue;
                }
                self.expect("}")?;
                break;
            }
        }
        Ok(map::from_pairs(heap, &pairs).0)
    }

    /// `<<Segment, ...>>` where a segment is an integer with an optional
    /// `:Size` in bits, or a string (its characters as bytes).
    fn binary(&mut self, heap: &mut impl TermAlloc) -> Result<Term, ParseError> {
        self.pos += 2;
        let mut bits = BitWriter::default();
        if !self.eat(">>") {
            loop {
                self.skip_space();
                if self.peek() == Some('"') {
                    for c in self.strings()? {
                        bits.push(c as u64 & 0xFF, 8);
                    }
                } else {
                    let value = self.integer_value()?;
                    let size = if self.eat(":") {
                        self.skip_space();
                        let size = self.integer_value()?;
                        u32::try_from(size)
                            .ok()
                            .filter(|s| *s <= 64)
                            .ok_or_else(|| self.error("segment size must be 0..64 bits"))?
                    } else {
                        8
                    };
                    bits.push(value as u64, size);
                }
                if self.eat(",") {
                    continue;
                }
                self.expect(">>")?;
                break;
            }
        }
        Ok(build::bitstring(heap, &bits.bytes, bits.bit_len))
    }

    /// One or more adjacent string literals, joined.
    fn strings(&mut self) -> Result<Vec<char>, ParseError> {
        let mut out = Vec::new();
        while self.eat("\"") {
            out.extend(self.quoted('"')?.chars());
            self.skip_space();
            if self.peek() != Some('"') {
                break;
            }
        }
        Ok(out)
    }

    /// The text of a quoted atom or string, after the opening quote.
    fn quoted(&mut self, quote: char) -> Result<String, ParseError> {
        let mut out = String::new();
        loop {
            match self.next()? {
                c if c == quote => return Ok(out),
                '\\' => out.push(self.escape()?),
                c => out.push(c),
            }
        }
    }

    /// The character an escape sequence stands for (after the backslash).
    fn escape(&mut self) -> Result<char, ParseError> {
        let c = self.next()?;
        let code = match c {
            'n' => 10,
            't' => 9,
            'r' => 13,
            'b' => 8,
            'f' => 12,
            'v' => 11,
            'e' => 27,
            's' => 32,
            'd' => 127,
            '0'..='7' => {
                let mut value = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            self.pos += 1;
                        }
                        None => break,
                    }
                }
                value
            }
            'x' => {
                let digits: String = if self.peek() == Some('{') {
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek().is_some_and(|d| d.is_ascii_hexdigit()) {
                        self.pos += 1;
                    }
                    let digits = self.chars[start..self.pos].iter().collect();
                    self.expect("}")?;
                    digits
                } else {
                    let start = self.pos;
                    for _ in 0..2 {
                        if self.peek().is_some_and(|d| d.is_ascii_hexdigit()) {
                            self.pos += 1;
                        }
                    }
                    self.chars[start..self.pos].iter().collect()
                };
                u32::from_str_radix(&digits, 16).map_err(|_| self.error("bad \\x escape"))?
            }
            '^' => self.next()? as u32 & 0x1F,
            other => other as u32,
        };
        char::from_u32(code).ok_or_else(|| self.error("escape is not a character"))
    }

    /// A character literal after `$`.
    fn char_literal(&mut self) -> Result<i64, ParseError> {
        let c = self.next()?;
        let c = if c == '\\' { self.escape()? } else { c };
        Ok(c as i64)
    }

    fn digits(&mut self, radix: u32) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_digit(radix) || (c == '_' && self.pos > start))
        {
            self.pos += 1;
        }
        self.chars[start..self.pos]
            .iter()
            .filter(|&&c| c != '_')
            .collect()
    }

    /// An integer literal (used inside binaries).
    fn integer_value(&mut self) -> Result<i64, ParseError> {
        let start = self.pos;
        let mut scratch = crate::heap::LiteralArea::new();
        let term = self.number(&mut scratch)?;
        term.as_small().ok_or(ParseError {
            offset: start,
            message: "expected a small integer".to_owned(),
        })
    }

    fn number(&mut self, heap: &mut impl TermAlloc) -> Result<Term, ParseError> {
        let negative = match self.peek() {
            Some('-') => {
                self.pos += 1;
                self.skip_space();
                true
            }
            Some('+') => {
                self.pos += 1;
                self.skip_space();
                false
            }
            _ => false,
        };
        if self.peek() == Some('$') {
            self.pos += 1;
            let c = self.char_literal()?;
            return Ok(Term::small(if negative { -c } else { c }));
        }
        let start = self.pos;
        let whole = self.digits(10);
        if whole.is_empty() {
            return Err(self.error("expected a number"));
        }
        if self.peek() == Some('#') {
            self.pos += 1;
            let radix: u32 = whole
                .parse()
                .ok()
                .filter(|r| (2..=36).contains(r))
                .ok_or_else(|| self.error("radix must be 2..36"))?;
            let digits = self.digits(radix);
            let value = BigInt::from_str_radix(&digits, radix)
                .map_err(|_| self.error("bad digits for the radix"))?;
            return Ok(build::bigint(heap, &if negative { -value } else { value }));
        }
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            let fraction = self.digits(10);
            let mut text = format!("{whole}.{fraction}");
            if matches!(self.peek(), Some('e' | 'E')) {
                let save = self.pos;
                self.pos += 1;
                let sign = match self.peek() {
                    Some(s @ ('-' | '+')) => {
                        self.pos += 1;
                        s.to_string()
                    }
                    _ => String::new(),
                };
                let exponent = self.digits(10);
                if exponent.is_empty() {
                    self.pos = save;
                } else {
                    text.push_str(&format!("e{sign}{exponent}"));
                }
            }
            let value: f64 = text.parse().map_err(|_| ParseError {
                offset: start,
                message: "bad float".to_owned(),
            })?;
            if !value.is_finite() {
                return Err(ParseError {
                    offset: start,
                    message: "float out of range".to_owned(),
                });
            }
            return Ok(build::float(heap, if negative { -value } else { value }));
        }
        let value: BigInt = whole.parse().map_err(|_| self.error("bad integer"))?;
        Ok(build::bigint(heap, &if negative { -value } else { value }))
    }
}

fn is_atom_start(c: char) -> bool {
    c.is_ascii_lowercase() || (('\u{DF}'..='\u{FF}').contains(&c) && c != '\u{F7}')
}

fn is_atom_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || c == '@'
        || (('\u{C0}'..='\u{FF}').contains(&c) && c != '\u{D7}' && c != '\u{F7}')
}

/// Packs big-endian bit fields into bytes.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    bit_len: u64,
}

impl BitWriter {
    fn push(&mut self, value: u64, size: u32) {
        for i in (0..size).rev() {
            let bit = (value >> i) & 1;
            if self.bit_len.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if bit == 1 {
                let last = self.bytes.len() - 1;
                self.bytes[last] |= 0x80 >> (self.bit_len % 8);
            }
            self.bit_len += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::LiteralArea;
    use crate::term::View;

    fn parse(text: &str, area: &mut LiteralArea) -> Term {
        parse_term(text, area).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    #[cfg_attr(miri, ignore)] // no unsafe here; Miri perturbs floats and is slow on bignums
    fn numbers_in_every_form() {
        let mut area = LiteralArea::new();
        let cases: &[(&str, i64)] = &[
            ("42", 42),
            ("-7", -7),
            ("16#ff", 255),
            ("2#1010", 10),
            ("1_000_000", 1_000_000),
            ("$a", 97),
            ("$\\n", 10),
            ("$\\x{1F600}", 0x1F600),
            ("$\\101", 65),
            ("$\\^A", 1),
            ("-$a", -97),
        ];
        for (text, value) in cases {
            assert_eq!(parse(text, &mut area).as_small(), Some(*value), "{text}");
        }
        assert_eq!(parse("1.5e3", &mut area).as_float(), Some(1500.0));
        assert_eq!(parse("-0.25", &mut area).as_float(), Some(-0.25));
        let big = parse("123456789012345678901234567890", &mut area);
        assert_eq!(
            build::to_bigint(big).unwrap().to_string(),
            "123456789012345678901234567890"
        );
    }

    #[test]
    #[cfg_attr(miri, ignore)] // no unsafe here; Miri perturbs floats and is slow on bignums
    fn atoms_strings_and_containers() {
        let mut area = LiteralArea::new();
        assert_eq!(parse("ok", &mut area).as_atom().unwrap().name(), "ok");
        assert_eq!(
            parse("'hello world'", &mut area).as_atom().unwrap().name(),
            "hello world"
        );
        assert_eq!(parse("'a\\'b'", &mut area).as_atom().unwrap().name(), "a'b");
        assert_eq!(
            parse("n@host.", &mut area).as_atom().unwrap().name(),
            "n@host"
        );
        let s = parse("\"ab\" \"c\"", &mut area).list_to_vec().unwrap();
        let codes: Vec<i64> = s.iter().map(|t| t.as_small().unwrap()).collect();
        assert_eq!(codes, vec![97, 98, 99]);
        let t = parse("{a, [1, 2 | x], {}}", &mut area);
        let elems = t.as_tuple().unwrap();
        assert_eq!(elems.len(), 3);
        assert_eq!(elems[2].as_tuple().unwrap().len(), 0);
        let mut it = elems[1].list_iter();
        assert_eq!(it.by_ref().count(), 2);
        assert_eq!(it.rest().as_atom().unwrap().name(), "x");
        assert!(parse("[]", &mut area).is_nil());
    }

    #[test]
    #[cfg_attr(miri, ignore)] // no unsafe here; Miri perturbs floats and is slow on bignums
    fn binaries_with_sizes_and_strings() {
        let mut area = LiteralArea::new();
        let b = parse("<<1, 2, \"hi\">>", &mut area);
        let View::Bitstring(bits) = b.view() else {
            panic!()
        };
        assert_eq!(bits.as_bytes(), Some(&[1u8, 2, b'h', b'i'][..]));
        let b = parse("<<1, 5:3>>", &mut area);
        let View::Bitstring(bits) = b.view() else {
            panic!()
        };
        assert_eq!(bits.bit_len, 11);
        assert_eq!(bits.to_padded_vec(), vec![1, 0b1010_0000]);
    }

    #[test]
    #[cfg_attr(miri, ignore)] // no unsafe here; Miri perturbs floats and is slow on bignums
    fn bad_text_is_an_error_not_a_panic() {
        let mut area = LiteralArea::new();
        for text in [
            "", "{a,", "[1|", "X", "1 2", "'abc", "16#", "<<1:99>>", "#{a}", "1.0e999",
        ] {
            assert!(parse_term(text, &mut area).is_err(), "{text}");
        }
        let deep = "[".repeat(5_000);
        assert!(parse_term(&deep, &mut area).is_err());
    }
}
