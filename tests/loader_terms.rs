//! The chunks holding external terms (`Attr`, `CInf`, `Meta`, and on demand
//! `Dbgi`, `Docs`, `ExCk`), decoded by the loader and printed with `~w`,
//! against `erl` decoding the same chunk with `binary_to_term/1`. Needs
//! `erl` on PATH, and the ETF decoder and printer.

mod support;

use std::path::Path;
use std::process::Command;

use oxbeam::heap::LiteralArea;
use oxbeam::loader::{self, ChunkId};
use oxbeam::term::print;

const SAMPLES: [&str; 3] = ["lists.beam", "gen_server.beam", "Elixir.URI.beam"];

/// `~w` of `binary_to_term` of each chunk, as erl prints it; `none` for a
/// chunk the file does not have.
fn erl_chunk_terms(file: &Path, ids: &[&str]) -> Vec<String> {
    let ids_list = ids
        .iter()
        .map(|id| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(",");
    let script = format!(
        "{{ok, _, Cs}} = beam_lib:all_chunks(\"{}\"), \
         [case lists:keyfind(Id, 1, Cs) of \
              {{_, B}} -> io:format(\"~w~n\", [binary_to_term(B)]); \
              false -> io:format(\"none~n\") \
          end || Id <- [{ids_list}]], halt().",
        file.display()
    );
    let output = Command::new("erl")
        .args(["-noshell", "-eval", &script])
        .output()
        .expect("this test needs erl on PATH");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn term_chunks_decode_as_erl_decodes_them() {
    let ids = ["Attr", "CInf", "Meta", "ExCk", "Docs"];
    for name in SAMPLES {
        let path = support::installed_file(name);
        let beam = loader::load(&std::fs::read(&path).unwrap()).unwrap();
        let expected = erl_chunk_terms(&path, &ids);
        let mut area = LiteralArea::new();
        let mut raw = |id: ChunkId| {
            beam.decode_raw_chunk(id, &mut area)
                .map_or("none".to_string(), |t| print::to_string(t.unwrap()))
        };
        let ours = [
            print::to_string(beam.attributes),
            print::to_string(beam.compile_info),
            beam.meta.map_or("none".to_string(), print::to_string),
            raw(ChunkId::EXCK),
            raw(ChunkId::DOCS),
        ];
        for ((id, ours), theirs) in ids.iter().zip(ours).zip(expected) {
            assert_eq!(ours, theirs, "{name}: chunk {id}");
        }
    }
}
