//! Small hand-made files: one that loads, and variants that each break one
//! rule, checked for the chunk and offset the error names.

use super::*;
use crate::isa::GenOp;

/// A compact term with a value below 16: value in the high nibble.
fn small(tag: u8, value: u8) -> u8 {
    assert!(value < 16);
    value << 4 | tag
}
const U: u8 = 0;
const A: u8 = 2;
const X: u8 = 3;
const F: u8 = 5;
const Z: u8 = 7;

fn op(g: GenOp) -> u8 {
    g.number()
}

/// A `Code` chunk: the header (labels and functions as given) and `body`.
fn code(body: &[u8], labels: u32, functions: u32) -> Vec<u8> {
    let mut c = Vec::new();
    for word in [16u32, 0, 180, labels, functions] {
        c.extend_from_slice(&word.to_be_bytes());
    }
    c.extend_from_slice(body);
    c
}

/// `m:f/0` returning `[]`.
fn minimal_body() -> Vec<u8> {
    vec![
        op(GenOp::Label),
        small(U, 1),
        op(GenOp::FuncInfo),
        small(A, 1),
        small(A, 2),
        small(U, 0),
        op(GenOp::Label),
        small(U, 2),
        op(GenOp::Move),
        small(A, 0),
        small(X, 0),
        op(GenOp::Return),
        op(GenOp::IntCodeEnd),
    ]
}

fn atoms() -> Vec<u8> {
    let mut c = 2u32.to_be_bytes().to_vec();
    c.extend_from_slice(b"\x01m\x01f");
    c
}

fn exports(label: u32) -> Vec<u8> {
    [1u32, 2, 0, label]
        .iter()
        .flat_map(|w| w.to_be_bytes())
        .collect()
}

fn chunks_of(body: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    vec![
        (*b"AtU8", atoms()),
        (*b"Code", code(body, 3, 1)),
        (*b"ImpT", 0u32.to_be_bytes().to_vec()),
        (*b"ExpT", exports(2)),
    ]
}

fn file(chunks: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut body = b"BEAM".to_vec();
    for (id, data) in chunks {
        body.extend_from_slice(id);
        body.extend_from_slice(&(data.len() as u32).to_be_bytes());
        body.extend_from_slice(data);
        body.resize(body.len().div_ceil(4) * 4, 0);
    }
    let mut f = b"FOR1".to_vec();
    f.extend_from_slice(&(body.len() as u32).to_be_bytes());
    f.extend(body);
    f
}

/// File offset of the first byte of the code after the Code chunk header.
fn code_start(bytes: &[u8]) -> usize {
    let at = bytes.windows(4).position(|w| w == b"Code").unwrap();
    at + 8 + 4 + 16
}

#[test]
fn a_minimal_module_loads() {
    let beam = load(&file(&chunks_of(&minimal_body()))).unwrap();
    assert_eq!(beam.module.name(), "m");
    assert_eq!(beam.code.len(), 6);
    assert_eq!(beam.code.functions.len(), 1);
    let f = beam.code.functions[0];
    assert_eq!((f.name.name(), f.arity, f.entry_label), ("f", 0, 2));
    assert_eq!((f.start, f.func_info, f.end), (0, 1, 5));
    assert_eq!(beam.code.label_target(2), Some(2));
    let mv = beam.code.instr(3);
    assert_eq!(mv.op, GenOp::Move);
    assert_eq!(mv.args, &[Operand::Nil, Operand::X(0)]);
    assert_eq!(beam.exports.len(), 1);
    assert!(beam.attributes.is_nil() && beam.literals.is_empty());
}

/// Loads `body` in the minimal module and returns the error, checking it
/// is in the Code chunk at `code_offset` bytes into the code.
fn code_error(body: &[u8], code_offset: usize) -> String {
    let bytes = file(&chunks_of(body));
    let e = load(&bytes).unwrap_err();
    assert_eq!(e.chunk(), ChunkId::CODE, "{e}");
    assert_eq!(e.offset(), code_start(&bytes) + code_offset, "{e}");
    e.message().to_string()
}

#[test]
fn bad_operands_are_refused_where_they_are() {
    // The entry label defined as 3 when the header says 3 labels (0..=2).
    let mut body = minimal_body();
    body[7] = small(U, 3);
    assert!(code_error(&body, 6).contains("bad label"));

    // An atom index past the table.
    let mut body = minimal_body();
    body[9] = small(A, 3);
    assert!(code_error(&body, 9).contains("atom index 3"));

    // An unknown opcode.
    let mut body = minimal_body();
    body[11] = 0xEE;
    assert!(code_error(&body, 11).contains("unknown opcode 238"));

    // A label defined twice.
    let mut body = minimal_body();
    body[1] = small(U, 2);
    assert!(code_error(&body, 6).contains("label 2 defined twice"));

    // An extended list that is not the last operand: move {list} x0.
    let mut body = minimal_body();
    body.splice(9..10, [small(Z, 1), small(U, 0)]);
    assert!(code_error(&body, 9).contains("extended list before the last operand"));

    // A call to import 0 when there are no imports.
    let mut body = minimal_body();
    body.splice(8..11, [op(GenOp::CallExtOnly), small(U, 0), small(U, 0)]);
    assert!(code_error(&body, 8).contains("import"));

    // A literal operand without a literal table.
    let mut body = minimal_body();
    body.splice(9..10, [small(Z, 4), small(U, 0)]);
    assert!(code_error(&body, 9).contains("literal 0 out of range"));

    // Code that stops before int_code_end.
    let mut body = minimal_body();
    body.pop();
    assert!(code_error(&body, 12).contains("without int_code_end"));
}

#[test]
fn labels_used_must_be_defined() {
    // A header with 4 labels, and a jump to label 3 that nothing defines.
    let mut body = minimal_body();
    body.splice(8..11, [op(GenOp::Jump), small(F, 3)]);
    let mut chunks = chunks_of(&body);
    chunks[1].1 = code(&body, 4, 1);
    let bytes = file(&chunks);
    let e = load(&bytes).unwrap_err();
    assert_eq!(
        (e.chunk(), e.offset()),
        (ChunkId::CODE, code_start(&bytes) + 9),
        "{e}"
    );
    assert!(
        e.message().contains("label 3 is used but never defined"),
        "{e}"
    );
}

#[test]
fn a_jump_without_a_label_is_refused() {
    // `jump {f,0}`: "no label" where the interpreter must go somewhere.
    let mut body = minimal_body();
    body.splice(8..11, [op(GenOp::Jump), small(F, 0)]);
    let mut chunks = chunks_of(&body);
    chunks[1].1 = code(&body, 3, 1);
    // The file is well formed; the translator refuses it.
    let beam = load(&file(&chunks)).unwrap();
    let e = crate::vm::translate::translate(beam, 0).err().unwrap();
    assert!(e.contains("a jump or test without a label"), "{e}");
}

#[test]
fn tables_must_agree_with_the_code() {
    // An export whose label is not a function entry.
    let mut chunks = chunks_of(&minimal_body());
    chunks[3].1 = exports(1);
    let e = load(&file(&chunks)).unwrap_err();
    assert_eq!(e.chunk(), ChunkId::EXPT);
    assert!(e.message().contains("f/0 at label 1"), "{e}");

    // A header function count that does not match the code.
    let mut chunks = chunks_of(&minimal_body());
    chunks[1].1 = code(&minimal_body(), 3, 2);
    let e = load(&file(&chunks)).unwrap_err();
    assert_eq!(e.chunk(), ChunkId::CODE);
    assert!(e.message().contains("claims 2 functions"), "{e}");

    // A missing chunk.
    let mut chunks = chunks_of(&minimal_body());
    chunks.remove(2);
    let e = load(&file(&chunks)).unwrap_err();
    assert_eq!((e.chunk(), e.message()), (ChunkId::IMPT, "missing chunk"));
}

#[test]
fn the_container_is_checked() {
    let good = file(&chunks_of(&minimal_body()));
    let e = load(&good[..good.len() - 3]).unwrap_err();
    assert_eq!((e.chunk(), e.offset()), (ChunkId::FORM, 4), "{e}");
    let e = load(b"FOR2").unwrap_err();
    assert_eq!(e.offset(), 0);
    // A chunk claiming more bytes than the form has.
    let mut bad = good.clone();
    let at = good.windows(4).position(|w| w == b"ImpT").unwrap();
    bad[at + 4..at + 8].copy_from_slice(&1000u32.to_be_bytes());
    let e = load(&bad).unwrap_err();
    assert_eq!((e.chunk(), e.offset()), (ChunkId::FORM, at + 4), "{e}");
}

#[test]
fn unknown_chunks_are_kept_and_gzip_is_accepted() {
    let mut chunks = chunks_of(&minimal_body());
    chunks.push((*b"Xtra", vec![1, 2, 3]));
    let bytes = file(&chunks);
    let beam = load(&bytes).unwrap();
    assert_eq!(beam.raw_chunk(ChunkId(*b"Xtra")), Some(&[1u8, 2, 3][..]));

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &bytes).unwrap();
    let zipped = load(&gz.finish().unwrap()).unwrap();
    assert_eq!(zipped.md5, beam.md5);
}

#[test]
fn every_operand_form_decodes() {
    let mut body = minimal_body();
    let tail = body.split_off(8);
    let mut float = vec![op(GenOp::Move), 0x07];
    float.extend_from_slice(&1.5f64.to_be_bytes());
    float.push(small(X, 0));
    body.extend(float);
    // h 65, then i -1 (two-byte two's complement), then i 2^64 (9 bytes).
    body.extend([op(GenOp::Move), 0x0E, 0x41, small(X, 0)]);
    body.extend([op(GenOp::Move), 0x19, 0xFF, 0xFF, small(X, 0)]);
    body.extend([
        op(GenOp::Move),
        0xF9,
        0x00,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        small(X, 0),
    ]);
    // test_heap {alloc,[{words,3},{floats,1}]} 1
    body.extend([
        op(GenOp::TestHeap),
        0x37,
        0x20,
        0x00,
        0x30,
        0x10,
        0x10,
        0x10,
    ]);
    // move a typed x1 (type 0) to x0; fmove fr1 to x0
    body.extend([op(GenOp::Move), 0x57, small(X, 1), 0x00, small(X, 0)]);
    body.extend([op(GenOp::Fmove), 0x27, 0x10, small(X, 0)]);
    // select_val x0 f1 [i 1, f 2]
    body.extend([
        op(GenOp::SelectVal),
        small(X, 0),
        small(F, 1),
        0x17,
        0x20,
        0x11,
        small(F, 2),
    ]);
    // y register and a two-byte x register
    body.extend([op(GenOp::Move), small(4, 3), 0x08 | 3, 200]);
    body.extend(tail);

    let beam = load(&file(&chunks_of(&body))).unwrap();
    let args: Vec<&[Operand]> = beam.code.instrs().skip(3).take(9).map(|i| i.args).collect();
    assert_eq!(args[0], &[Operand::Float(1.5), Operand::X(0)]);
    assert_eq!(args[1], &[Operand::Char(65), Operand::X(0)]);
    assert_eq!(args[2], &[Operand::Integer(-1), Operand::X(0)]);
    assert_eq!(args[3], &[Operand::BigInteger(0), Operand::X(0)]);
    assert_eq!(
        beam.code.big_integers[0],
        num_bigint::BigInt::from(1u128 << 64)
    );
    let alloc = AllocList {
        words: 3,
        floats: 1,
        funs: 0,
    };
    assert_eq!(args[4], &[Operand::AllocList(alloc), Operand::Unsigned(1)]);
    assert_eq!(
        args[5],
        &[Operand::TypedReg(Register::X(1), 0), Operand::X(0)]
    );
    assert_eq!(args[6], &[Operand::FloatReg(1), Operand::X(0)]);
    assert_eq!(
        args[7],
        &[
            Operand::X(0),
            Operand::Label(1),
            Operand::List(2),
            Operand::Integer(1),
            Operand::Label(2)
        ]
    );
    let select = beam.code.instr(10);
    assert_eq!(
        select.list_items(),
        Some(&[Operand::Integer(1), Operand::Label(2)][..])
    );
    assert_eq!(args[8], &[Operand::Y(3), Operand::X(200)]);
}
