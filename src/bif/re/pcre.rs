//! A safe wrapper of the few PCRE2 calls that `re` needs, over the raw
//! binding `pcre2-sys` (the high-level `pcre2` crate has no match-time
//! options such as `PCRE2_ANCHORED`, `PCRE2_NOTBOL` or
//! `PCRE2_NOTEMPTY_ATSTART`, which `re` passes through).
//!
//! This is the one place in `src/bif` with `unsafe`: calls into the C
//! library, each with its `// SAFETY:` reason. A `Regex` owns its compiled
//! code and match data and frees them on drop; it is neither `Send` nor
//! `Sync` (raw pointers), so each scheduler thread keeps its own.

use std::cell::RefCell;
use std::ffi::c_void;
use std::ptr::{self, NonNull};

use pcre2_sys::*;

/// The most memory (in KiB) the interpreter may take for the backtracking
/// frames of one match (PCRE2's default is 20 GB); past it the match fails
/// as erl's does at its recursion limit.
const HEAP_LIMIT_KIB: u32 = 512 * 1024;

/// Limits for one match (`None`: PCRE2's defaults).
#[derive(Clone, Copy, Default)]
pub struct Limits {
    pub match_limit: Option<u32>,
    pub depth_limit: Option<u32>,
}

/// What one call of `pcre2_match` found.
pub enum Found {
    /// The start and end of the match and of each group up to the highest
    /// one set (`None` for a group left unset).
    Match(Vec<Option<(usize, usize)>>),
    NoMatch,
    /// A negative PCRE2 error code (bad UTF-8, a limit reached, …).
    Error(i32),
}

/// Character tables for Latin-1 as glibc's ISO-8859-1 locale classifies it
/// (PCRE2's `pcre2_maketables` layout: lower case, flipped case, class
/// bitmaps, character types). erts builds its PCRE with such tables, so
/// `\w`, `[[:alpha:]]` and caseless matching take Latin-1 letters such
/// as `é` even without `ucp`; PCRE2's default tables know only ASCII.
static LATIN1_TABLES: [u8; 1088] = latin1_tables();

const fn latin1_tables() -> [u8; 1088] {
    const fn upper(c: usize) -> bool {
        matches!(c, 0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE)
    }
    const fn lower(c: usize) -> bool {
        matches!(c, 0x61..=0x7A | 0xAA | 0xB5 | 0xBA | 0xDF..=0xF6 | 0xF8..=0xFF)
    }
    const fn digit(c: usize) -> bool {
        matches!(c, 0x30..=0x39)
    }
    const fn print(c: usize) -> bool {
        matches!(c, 0x20..=0x7E | 0xA0..=0xFF)
    }
    let mut t = [0u8; 1088];
    let (cbits, ctypes) = (512, 832);
    let mut c = 0;
    while c < 256 {
        let alpha = upper(c) || lower(c);
        let alnum = alpha || digit(c);
        let space = matches!(c, 0x09..=0x0D | 0x20);
        // The upper-case letters whose lower case is 0x20 above them.
        let has_lower = upper(c);
        let has_upper = matches!(c, 0x61..=0x7A | 0xE0..=0xF6 | 0xF8..=0xFE);
        t[c] = if has_lower { c as u8 + 0x20 } else { c as u8 };
        t[256 + c] = if has_lower {
            c as u8 + 0x20
        } else if has_upper {
            c as u8 - 0x20
        } else {
            c as u8
        };
        let classes = [
            (0, space),
            (32, digit(c) || matches!(c, 0x41..=0x46 | 0x61..=0x66)),
            (64, digit(c)),
            (96, upper(c)),
            (128, lower(c)),
            (160, alnum || c == 0x5F),
            (192, print(c) && c != 0x20),
            (224, print(c)),
            (256, print(c) && c != 0x20 && !alnum),
            (288, matches!(c, 0x00..=0x1F | 0x7F..=0x9F)),
        ];
        let mut i = 0;
        while i < classes.len() {
            if classes[i].1 {
                t[cbits + classes[i].0 + c / 8] |= 1 << (c % 8);
            }
            i += 1;
        }
        t[ctypes + c] = (space as u8)
            | (alpha as u8) << 1
            | (lower(c) as u8) << 2
            | (digit(c) as u8) << 3
            | ((alnum || c == 0x5F) as u8) << 4;
        c += 1;
    }
    t
}

/// A compiled pattern.
pub struct Regex {
    code: NonNull<pcre2_code_8>,
    match_data: RefCell<NonNull<pcre2_match_data_8>>,
    /// The match context with the default limits (and `HEAP_LIMIT_KIB`).
    match_context: NonNull<pcre2_match_context_8>,
    jit: bool,
    /// The number of capturing groups.
    pub capture_count: u32,
    /// The name table in PCRE2's order (sorted by name): name and group.
    pub names: Vec<(Vec<u8>, u32)>,
    /// The newline convention in force (`PCRE2_NEWLINE_*`), including one
    /// set by a `(*CRLF)`-style item at the start of the pattern.
    pub newline: u32,
}

impl Drop for Regex {
    fn drop(&mut self) {
        // SAFETY: all three were created by PCRE2 for this `Regex` alone
        // and are freed once, here.
        unsafe {
            pcre2_match_context_free_8(self.match_context.as_ptr());
            pcre2_match_data_free_8(self.match_data.borrow().as_ptr());
            pcre2_code_free_8(self.code.as_ptr());
        }
    }
}

/// PCRE2's text for an error code.
pub fn error_message(code: i32) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is writable for its whole length, which is passed.
    let len = unsafe { pcre2_get_error_message_8(code, buf.as_mut_ptr(), buf.len()) };
    if len < 0 {
        return format!("error {code}");
    }
    String::from_utf8_lossy(&buf[..len as usize]).into_owned()
}

/// The library's version text, e.g. `10.46 2025-08-27`.
pub fn version() -> String {
    let mut buf = [0u8; 64];
    // SAFETY: PCRE2_CONFIG_VERSION writes at most 24 code units including
    // the terminating zero; the buffer holds 64.
    let len = unsafe { pcre2_config_8(PCRE2_CONFIG_VERSION, buf.as_mut_ptr() as *mut c_void) };
    let len = usize::try_from(len).unwrap_or(1).saturating_sub(1);
    String::from_utf8_lossy(&buf[..len.min(buf.len())]).into_owned()
}

impl Regex {
    /// Compiles `pattern` with the `PCRE2_*` compile `options`, a newline
    /// convention and a `\R` convention (0: PCRE2's default for either),
    /// and for the JIT when `jit`. An error is PCRE2's error code and the
    /// offset in the pattern.
    pub fn new(
        pattern: &[u8],
        options: u32,
        newline: u32,
        bsr: u32,
        jit: bool,
    ) -> Result<Regex, (i32, usize)> {
        let mut error_code = 0;
        let mut error_offset = 0usize;
        // SAFETY: the context is created, used for one compilation and
        // freed; `pattern` is valid for `pattern.len()` bytes (PCRE2 copies
        // what it needs); the error outputs are valid locals.
        let code = unsafe {
            let context = pcre2_compile_context_create_8(ptr::null_mut());
            if context.is_null() {
                return Err((PCRE2_ERROR_NOMEMORY, 0));
            }
            if newline != 0 {
                pcre2_set_newline_8(context, newline);
            }
            if bsr != 0 {
                pcre2_set_bsr_8(context, bsr);
            }
            pcre2_set_character_tables_8(context, LATIN1_TABLES.as_ptr());
            let code = pcre2_compile_8(
                pattern.as_ptr(),
                pattern.len(),
                options,
                &mut error_code,
                &mut error_offset,
                context,
            );
            pcre2_compile_context_free_8(context);
            code
        };
        let code = NonNull::new(code).ok_or((error_code, error_offset))?;
        // SAFETY: `code` is a valid compiled pattern.
        let match_data =
            unsafe { pcre2_match_data_create_from_pattern_8(code.as_ptr(), ptr::null_mut()) };
        // SAFETY: a fresh context, given the heap limit.
        let match_context = unsafe {
            let context = pcre2_match_context_create_8(ptr::null_mut());
            if !context.is_null() {
                pcre2_set_heap_limit_8(context, HEAP_LIMIT_KIB);
            }
            context
        };
        let (Some(match_data), Some(match_context)) =
            (NonNull::new(match_data), NonNull::new(match_context))
        else {
            // SAFETY: these are ours and not used after this (freeing a
            // null pointer is a no-op in PCRE2).
            unsafe {
                pcre2_match_data_free_8(match_data);
                pcre2_match_context_free_8(match_context);
                pcre2_code_free_8(code.as_ptr());
            }
            return Err((PCRE2_ERROR_NOMEMORY, 0));
        };
        // SAFETY: `code` is a valid compiled pattern; JIT compilation that
        // fails leaves it usable by the interpreter.
        let jit = jit && unsafe { pcre2_jit_compile_8(code.as_ptr(), PCRE2_JIT_COMPLETE) } == 0;
        let mut regex = Regex {
            code,
            match_data: RefCell::new(match_data),
            match_context,
            jit,
            capture_count: 0,
            names: Vec::new(),
            newline: 0,
        };
        regex.capture_count = regex.info_u32(PCRE2_INFO_CAPTURECOUNT);
        regex.newline = regex.info_u32(PCRE2_INFO_NEWLINE);
        regex.names = regex.name_table();
        Ok(regex)
    }

    fn info_u32(&self, what: u32) -> u32 {
        let mut value = 0u32;
        // SAFETY: the items asked for here are all `uint32_t`.
        unsafe {
            pcre2_pattern_info_8(
                self.code.as_ptr(),
                what,
                &mut value as *mut u32 as *mut c_void,
            )
        };
        value
    }

    /// The name table: entries of a 2-byte big-endian group number and the
    /// zero-terminated name, padded to the entry size.
    fn name_table(&self) -> Vec<(Vec<u8>, u32)> {
        let count = self.info_u32(PCRE2_INFO_NAMECOUNT) as usize;
        let entry_size = self.info_u32(PCRE2_INFO_NAMEENTRYSIZE) as usize;
        if count == 0 || entry_size < 3 {
            return Vec::new();
        }
        let mut table: *const u8 = ptr::null();
        // SAFETY: PCRE2_INFO_NAMETABLE stores a `PCRE2_SPTR`; the table it
        // points to is `count * entry_size` bytes inside the compiled code,
        // which lives as long as `self`, and is copied out at once.
        let bytes = unsafe {
            pcre2_pattern_info_8(
                self.code.as_ptr(),
                PCRE2_INFO_NAMETABLE,
                &mut table as *mut *const u8 as *mut c_void,
            );
            if table.is_null() {
                return Vec::new();
            }
            std::slice::from_raw_parts(table, count * entry_size).to_vec()
        };
        bytes
            .chunks(entry_size)
            .map(|entry| {
                let group = u32::from(entry[0]) << 8 | u32::from(entry[1]);
                let name = &entry[2..];
                let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
                (name[..end].to_vec(), group)
            })
            .collect()
    }

    /// Runs the pattern on `subject` from byte `start` with the `PCRE2_*`
    /// match `options`.
    pub fn find(&self, subject: &[u8], start: usize, options: u32, limits: Limits) -> Found {
        let limited = limits.match_limit.is_some() || limits.depth_limit.is_some();
        // The JIT counts the match limit differently from the interpreter
        // (OTP's PCRE has no JIT), so limits are checked by the interpreter.
        let options = if limited || !self.jit {
            options | PCRE2_NO_JIT
        } else {
            options
        };
        let match_data = self.match_data.borrow_mut();
        // SAFETY: `code` and `match_data` are valid and belong to this
        // regex (the `RefCell` borrow keeps the match data to this call);
        // `subject` is valid for its length; a context with other limits is
        // a copy made here and freed after the match.
        let rc = unsafe {
            let context = if limited {
                let context = pcre2_match_context_copy_8(self.match_context.as_ptr());
                if context.is_null() {
                    return Found::Error(PCRE2_ERROR_NOMEMORY);
                }
                if let Some(limit) = limits.match_limit {
                    pcre2_set_match_limit_8(context, limit);
                }
                if let Some(limit) = limits.depth_limit {
                    pcre2_set_depth_limit_8(context, limit);
                }
                context
            } else {
                self.match_context.as_ptr()
            };
            let mut rc = pcre2_match_8(
                self.code.as_ptr(),
                subject.as_ptr(),
                subject.len(),
                start,
                options,
                match_data.as_ptr(),
                context,
            );
            if rc == PCRE2_ERROR_JIT_STACKLIMIT {
                rc = pcre2_match_8(
                    self.code.as_ptr(),
                    subject.as_ptr(),
                    subject.len(),
                    start,
                    options | PCRE2_NO_JIT,
                    match_data.as_ptr(),
                    context,
                );
            }
            if limited {
                pcre2_match_context_free_8(context);
            }
            rc
        };
        if rc == PCRE2_ERROR_NOMATCH {
            return Found::NoMatch;
        }
        if rc <= 0 {
            // 0 (ovector too small) cannot happen: the match data was made
            // for this pattern.
            return Found::Error(rc);
        }
        // SAFETY: after a successful match the ovector holds at least `rc`
        // pairs; it is copied before the match data is used again.
        let ovector = unsafe {
            let pairs = pcre2_get_ovector_pointer_8(match_data.as_ptr());
            std::slice::from_raw_parts(pairs, 2 * rc as usize)
        };
        Found::Match(
            ovector
                .chunks(2)
                .map(|pair| (pair[0] != PCRE2_UNSET).then_some((pair[0], pair[1])))
                .collect(),
        )
    }
}
