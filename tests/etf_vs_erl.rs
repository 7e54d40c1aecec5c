//! The external term format, the `~w` printer and term order, checked
//! against erl on a generated corpus (tests/tools/term_corpus.erl): every
//! term erl encodes is decoded, printed as erl prints it, and re-encoded to
//! the same bytes; every compared pair compares as on erl. Terms whose
//! large-map order erl derives from its atom indices (U lines) are checked
//! for content instead of order.

mod support;

use std::fmt::Write as _;

use oxbeam::etf::{self, EncodeOptions};
use oxbeam::heap::LiteralArea;
use oxbeam::term::{order, print, Term};
use support::{from_hex, to_hex};

const CORPUS_TERMS: &str = "3000";

#[test]
fn corpus_decodes_prints_encodes_and_compares_as_on_erl() {
    support::require_erl();
    let dir = support::scratch_dir("etf_vs_erl");
    support::compile_tool("term_corpus", &dir);
    support::compile_tool("etf_check", &dir);
    let corpus = dir.join("corpus.txt");
    support::run_erl(
        &dir,
        &format!(
            "term_corpus:main([\"{}\", \"{CORPUS_TERMS}\"])",
            corpus.display()
        ),
    );
    let text = std::fs::read_to_string(&corpus).expect("read corpus");

    let mut area = LiteralArea::new();
    let mut terms: Vec<Term> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let mut erl_checks = String::new();
    let mut compares = 0;

    for line in text.lines() {
        let exact = line.starts_with("T ");
        if let Some(rest) = line.strip_prefix("T ").or_else(|| line.strip_prefix("U ")) {
            let (hexes, printed) = rest.split_once('\t').expect("T line has a tab");
            let encodings: Vec<Vec<u8>> = hexes.split(' ').map(from_hex).collect();
            let n = terms.len();
            let term = match etf::decode(&encodings[0], &mut area) {
                Ok(t) => t,
                Err(e) => {
                    failures.push(format!(
                        "term {n}: decode failed: {e}; erl prints {printed}"
                    ));
                    terms.push(Term::NIL);
                    continue;
                }
            };
            terms.push(term);
            let ours = print::to_string(term);
            let (ours_n, printed_n) = (mask_channels(&ours), mask_channels(printed));
            if exact && ours_n != printed_n || !exact && !same_characters(&ours_n, &printed_n) {
                failures.push(format!(
                    "term {n}: printed\n  ours: {ours}\n  erl:  {printed}"
                ));
            }
            if !exact {
                // Its map order follows erl's atom indices: erl must read our
                // encoding back as the same term instead.
                let bytes = etf::encode(term, EncodeOptions::default());
                writeln!(erl_checks, "{} {}", to_hex(&bytes), to_hex(&encodings[0])).unwrap();
            }
            for (i, minor_version) in [(0, 1u8), (1, 0), (2, 2)] {
                let options = EncodeOptions {
                    minor_version,
                    compressed: None,
                };
                let bytes = etf::encode(term, options);
                if exact && bytes != encodings[i] {
                    failures.push(format!(
                        "term {n} ({printed}): minor_version {minor_version} encoding\n  ours: {}\n  erl:  {}",
                        to_hex(&bytes),
                        to_hex(&encodings[i])
                    ));
                }
                if i > 0 {
                    match etf::decode(&encodings[i], &mut area) {
                        Ok(t) if order::exact_eq(t, term) => {}
                        Ok(t) => failures.push(format!(
                            "term {n}: minor_version {minor_version} decodes to {}",
                            print::to_string(t)
                        )),
                        Err(e) => {
                            failures.push(format!("term {n}: minor_version {minor_version}: {e}"))
                        }
                    }
                }
            }
            match etf::decode(&encodings[3], &mut area) {
                Ok(t) if order::exact_eq(t, term) => {}
                Ok(_) | Err(_) => failures.push(format!(
                    "term {n}: erl's compressed form does not decode to it"
                )),
            }
            let compressed = etf::encode(
                term,
                EncodeOptions {
                    minor_version: 1,
                    compressed: Some(6),
                },
            );
            writeln!(
                erl_checks,
                "{} {}",
                to_hex(&compressed),
                to_hex(&encodings[3])
            )
            .unwrap();
        } else if let Some(rest) = line.strip_prefix("C ") {
            let f: Vec<i64> = rest
                .split(' ')
                .map(|x| x.parse().expect("number"))
                .collect();
            let (a, b) = (terms[f[0] as usize], terms[f[1] as usize]);
            let expected = f[2].cmp(&0);
            let ours = order::compare(a, b);
            if ours != expected
                || order::eq(a, b) != (f[3] == 1)
                || order::exact_eq(a, b) != (f[4] == 1)
            {
                failures.push(format!(
                    "compare {} with {}: erl says cmp {} == {} =:= {}, ours cmp {:?} == {} =:= {}",
                    print::to_string(a),
                    print::to_string(b),
                    f[2],
                    f[3],
                    f[4],
                    ours,
                    order::eq(a, b),
                    order::exact_eq(a, b)
                ));
            }
            compares += 1;
        }
    }
    assert!(
        terms.len() > 3000 && compares > 10_000,
        "the corpus was generated"
    );

    // Our compressed encodings (and the encodings of U terms) must decode on
    // erl to what erl's own do.
    let erl_check_count = erl_checks.lines().count();
    let pairs_file = dir.join("erl_checks.txt");
    std::fs::write(&pairs_file, erl_checks).unwrap();
    let verdict = support::run_erl(
        &dir,
        &format!("etf_check:main([\"{}\"])", pairs_file.display()),
    );
    for line in verdict.lines().filter(|l| l.starts_with("mismatch")) {
        failures.push(format!("encoding rejected by erl: {line}"));
    }
    assert!(
        verdict.contains(&format!("checked {}", erl_check_count)),
        "erl checked every pair: {verdict}"
    );

    if !failures.is_empty() {
        let shown: Vec<&str> = failures.iter().take(25).map(String::as_str).collect();
        panic!(
            "{} mismatches with erl; the first:\n{}",
            failures.len(),
            shown.join("\n")
        );
    }
}

/// Whether two texts are permutations of each other's characters.
fn same_characters(a: &str, b: &str) -> bool {
    let mut a: Vec<char> = a.chars().collect();
    let mut b: Vec<char> = b.chars().collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// Masks the "channel" that `~w` prints first in another node's pids, ports
/// and refs (`<8794.7.3>`): erl prints its atom-table index of the node name,
/// which no other VM can share. Channel 0 (this node) is kept.
fn mask_channels(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with('.') && &rest[..digits] != "0" {
            out.push('N');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}
