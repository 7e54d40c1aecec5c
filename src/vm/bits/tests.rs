use super::*;
use crate::term::print;
use crate::vm::instr::Src;

fn seg(kind: SegmentKind, flags: u8, unit: u16) -> Segment {
    Segment {
        kind,
        flags,
        unit,
        number: 1,
        value: Src::x(0),
        size: Src::x(1),
    }
}

/// Builds one segment with `bs_create_bin`'s rules and prints the result
/// (or the cause of the error) as erl's `~w` would.
fn build_one(kind: SegmentKind, flags: u8, unit: u16, value: Term, size: Term) -> String {
    let mut heap = ProcessHeap::new();
    let segments = [seg(kind, flags, unit)];
    match create_bin(&mut heap, BuildStyle::Create, &segments, &[value, size]) {
        Ok(t) => print::to_string(t),
        Err(e) => {
            let (_, info) = e.raise(&mut heap);
            print::to_string(info.expect("bs_create_bin errors carry a cause"))
        }
    }
}

#[test]
fn integers_build_as_erl() {
    use SegmentKind::Integer;
    let s = Term::small;
    // erl: <<16#ABC:12/little>>, <<16#ABC:12>>, <<-1:12/little>>,
    // <<16#123456:20/little>>.
    assert_eq!(
        build_one(Integer, FLAG_LITTLE, 1, s(0xABC), s(12)),
        "<<188,10:4>>"
    );
    assert_eq!(build_one(Integer, 0, 1, s(0xABC), s(12)), "<<171,12:4>>");
    assert_eq!(
        build_one(Integer, FLAG_LITTLE, 1, s(-1), s(12)),
        "<<255,15:4>>"
    );
    assert_eq!(
        build_one(Integer, FLAG_LITTLE, 1, s(0x123456), s(20)),
        "<<86,52,2:4>>"
    );
    // erl: <<-5:70>>, <<-5:70/little>>.
    assert_eq!(
        build_one(Integer, 0, 1, s(-5), s(70)),
        "<<255,255,255,255,255,255,255,255,59:6>>"
    );
    assert_eq!(
        build_one(Integer, FLAG_LITTLE, 1, s(-5), s(70)),
        "<<251,255,255,255,255,255,255,255,63:6>>"
    );
}

#[test]
fn build_errors_name_segment_and_cause() {
    use SegmentKind::*;
    let foo = Term::atom(Atom::intern("foo").unwrap());
    let cause = |c: &str| {
        format!(
            "{{error_info,#{{cause => {c},function => format_bs_fail,module => erl_erts_errors}}}}"
        )
    };
    // erl: catch <<X:8>> with X = foo, <<1:S>> with S = -1, <<F:7/float>>.
    assert_eq!(
        build_one(Integer, 0, 1, foo, Term::small(8)),
        cause("{1,integer,type,foo}")
    );
    assert_eq!(
        build_one(Integer, 0, 1, Term::small(1), Term::small(-1)),
        cause("{1,integer,size,-1}")
    );
    assert_eq!(
        build_one(Float, 0, 1, Term::small(1), Term::small(7)),
        cause("{1,float,invalid,7}")
    );
    assert_eq!(
        build_one(Utf8, 0, 0, Term::small(0x110000), Term::NIL),
        cause("{1,utf8,type,1114112}")
    );
}

#[test]
fn half_floats_round_as_c() {
    // erl: <<X:16/float>> for X = 1.0 + 2^-11 + 2^-40, 1.0e10, 65520.0,
    // 65519.0, 1.0e-8, 1.5.
    let x = 1.0 + 2f64.powi(-11) + 2f64.powi(-40);
    assert_eq!(f16_from_f64(x), 0x3C01);
    assert_eq!(f16_from_f64(1.0e10), 0x7C00);
    assert_eq!(f16_from_f64(65520.0), 0x7C00);
    assert_eq!(f16_from_f64(65519.0), 0x7BFF);
    assert_eq!(f16_from_f64(1.0e-8), 0);
    assert_eq!(f16_from_f64(1.5), 0x3E00);
    // Every finite half converts to f64 and back unchanged.
    for h in 0..=u16::MAX {
        let f = f64_from_f16(h);
        if f.is_finite() {
            assert_eq!(f16_from_f64(f), h, "{h:#x}");
        }
    }
}

#[test]
fn writer_and_reader_agree_at_every_alignment() {
    for lead in 0..16u32 {
        for n in 0..=64u32 {
            let value = 0xDEAD_BEEF_0123_4567u64.rotate_left(n + lead);
            let mut w = BitWriter::default();
            w.push_u64(0, lead);
            w.push_u64(value, n);
            let (bytes, bits) = w.into_parts();
            assert_eq!(bits, (lead + n) as u64);
            let mask = if n == 64 { u64::MAX } else { (1 << n) - 1 };
            assert_eq!(read_bits(&bytes, lead as u64, n), value & mask);
            // Copying the bits elsewhere keeps them.
            let mut copy = BitWriter::default();
            copy.push_u64(1, 3);
            copy.push_bits(&bytes, lead as u64, n as u64);
            let (c, _) = copy.into_parts();
            assert_eq!(read_bits(&c, 3, n), value & mask);
        }
    }
}

/// A match context over `bytes` in a fresh heap.
fn context(heap: &mut ProcessHeap, bytes: &[u8]) -> Term {
    let bin = build::binary(heap, bytes);
    start_match(heap, bin).expect("a binary")
}

#[test]
fn matching_moves_the_position_and_fails_in_place() {
    let mut heap = ProcessHeap::new();
    let ctx = context(&mut heap, &[0x12, 0x34, 0x56]);
    let v = get(&mut heap, Get::Integer, 0, 1, ctx, Term::small(12)).unwrap();
    assert_eq!(v.as_small(), Some(0x123));
    assert_eq!(get_position(ctx).as_small(), Some(12));
    // 16 bits do not fit in the 12 left: no match, position unchanged.
    assert!(get(&mut heap, Get::Integer, 0, 1, ctx, Term::small(16)).is_none());
    assert_eq!(get_position(ctx).as_small(), Some(12));
    let tail = get_tail(&mut heap, ctx).unwrap();
    assert_eq!(print::to_string(tail), "<<69,6:4>>");
    assert!(test_tail(ctx, Term::small(12)) && test_unit(ctx, Term::small(4)));
    assert!(!test_unit(ctx, Term::small(8)));
    set_position(ctx, Term::small(0));
    let le = get(
        &mut heap,
        Get::Integer,
        FLAG_LITTLE | FLAG_SIGNED,
        8,
        ctx,
        Term::small(2),
    );
    // erl: <<X:16/little-signed, _/bits>> = <<16#12, 16#34, 16#56>> gives 13330.
    assert_eq!(le.and_then(Term::as_small), Some(13330));
}

#[test]
fn a_match_context_survives_collection() {
    let mut heap = ProcessHeap::new();
    let mut bytes = vec![0u8; 40];
    bytes[10] = 0xAB;
    let ctx = context(&mut heap, &bytes);
    assert!(get(&mut heap, Get::Skip, 0, 1, ctx, Term::small(80)).is_some());
    let mut x = [ctx];
    for _ in 0..3 {
        heap.garbage_collect(1000, &mut x, &mut []).unwrap();
    }
    let ctx = x[0];
    assert_eq!(get_position(ctx).as_small(), Some(80));
    let v = get(&mut heap, Get::Integer, 0, 1, ctx, Term::small(8)).unwrap();
    assert_eq!(v.as_small(), Some(0xAB));
}

#[test]
fn appending_in_a_loop_reuses_one_buffer() {
    let mut heap = ProcessHeap::new();
    let segments = [
        seg(SegmentKind::Append, 0, 8),
        seg(SegmentKind::Integer, 0, 1),
    ];
    let mut acc = build::binary(&mut heap, &[]);
    let mut buffers = std::collections::HashSet::new();
    for i in 0..10_000i64 {
        let args = [acc, Term::NIL, Term::small(i & 0xFF), Term::small(8)];
        acc = create_bin(&mut heap, BuildStyle::Create, &segments, &args).unwrap();
        if let Some((buf, _)) = acc.refc_buffer() {
            buffers.insert(std::sync::Arc::as_ptr(&buf) as usize);
        }
    }
    // Buffers double: a handful for 10,000 appends.
    assert!(buffers.len() < 10, "{} buffers", buffers.len());
    let View::Bitstring(bits) = acc.view() else {
        panic!("a binary")
    };
    let bytes = bits.as_bytes().unwrap();
    assert_eq!(bytes.len(), 10_000);
    assert!(bytes
        .iter()
        .enumerate()
        .all(|(i, &b)| b == (i & 0xFF) as u8));
}

#[test]
fn appending_to_an_older_version_copies() {
    let mut heap = ProcessHeap::new();
    let segments = [
        seg(SegmentKind::Append, 0, 8),
        seg(SegmentKind::Integer, 0, 1),
    ];
    let base = init_writable(&mut heap, Term::small(100));
    let append = |heap: &mut ProcessHeap, acc: Term, byte: i64| {
        let args = [acc, Term::NIL, Term::small(byte), Term::small(8)];
        create_bin(heap, BuildStyle::Create, &segments, &args).unwrap()
    };
    let a = append(&mut heap, base, 1);
    let b = append(&mut heap, base, 2);
    let a2 = append(&mut heap, a, 3);
    assert_eq!(print::to_string(a), "<<1>>");
    assert_eq!(print::to_string(b), "<<2>>");
    assert_eq!(print::to_string(a2), "<<1,3>>");
}

#[test]
fn a_copied_match_context_is_the_bitstring_left_to_match() {
    let mut heap = ProcessHeap::new();
    let ctx = context(&mut heap, &[0xAB, 0xCD, 0xEF]);
    assert!(get(&mut heap, Get::Skip, 0, 1, ctx, Term::small(5)).is_some());
    let tuple = build::tuple(&mut heap, &[ctx, Term::small(1)]);
    let mut area = crate::heap::LiteralArea::new();
    let copy = crate::heap::copy_term(tuple, &mut area);
    // erl: <<_:5, T/bits>> = <<16#AB, 16#CD, 16#EF>>, T.
    assert_eq!(print::to_string(copy), "{<<121,189,7:3>>,1}");
    assert_eq!(
        crate::heap::size_of_term(tuple),
        crate::heap::size_of_term(copy)
    );
}
