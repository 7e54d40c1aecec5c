//! OTP 25's generic instruction set (`genop.tab`), defined once.
//!
//! [`for_each_genop!`] holds the list: opcode number, variant name, the name
//! OTP gives the instruction, its operand count (a trailing extended list
//! counts as one operand) and whether it is obsolete (no longer emitted by
//! the compiler and refused by OTP 25's loader). Everything else — the
//! [`GenOp`] enum, its names, arities and the opcode lookup — is derived
//! from it, and later users (the translator, the interpreter) take the same
//! list through the same macro.

/// Calls `$callback! { number Variant "name" arity status, ... }` with the
/// whole generic instruction set, in opcode order. `status` is `current` or
/// `obsolete`.
#[macro_export]
macro_rules! for_each_genop {
    ($callback:ident) => {
        $callback! {
            1   Label                  "label"                  1 current,
            2   FuncInfo               "func_info"              3 current,
            3   IntCodeEnd             "int_code_end"           0 current,
            4   Call                   "call"                   2 current,
            5   CallLast               "call_last"              3 current,
            6   CallOnly               "call_only"              2 current,
            7   CallExt                "call_ext"               2 current,
            8   CallExtLast            "call_ext_last"          3 current,
            9   Bif0                   "bif0"                   2 current,
            10  Bif1                   "bif1"                   4 current,
            11  Bif2                   "bif2"                   5 current,
            12  Allocate               "allocate"               2 current,
            13  AllocateHeap           "allocate_heap"          3 current,
            14  AllocateZero           "allocate_zero"          2 current,
            15  AllocateHeapZero       "allocate_heap_zero"     3 current,
            16  TestHeap               "test_heap"              2 current,
            17  Init                   "init"                   1 current,
            18  Deallocate             "deallocate"             1 current,
            19  Return                 "return"                 0 current,
            20  Send                   "send"                   0 current,
            21  RemoveMessage          "remove_message"         0 current,
            22  Timeout                "timeout"                0 current,
            23  LoopRec                "loop_rec"               2 current,
            24  LoopRecEnd             "loop_rec_end"           1 current,
            25  Wait                   "wait"                   1 current,
            26  WaitTimeout            "wait_timeout"           2 current,
            27  MPlus                  "m_plus"                 4 obsolete,
            28  MMinus                 "m_minus"                4 obsolete,
            29  MTimes                 "m_times"                4 obsolete,
            30  MDiv                   "m_div"                  4 obsolete,
            31  IntDiv                 "int_div"                4 obsolete,
            32  IntRem                 "int_rem"                4 obsolete,
            33  IntBand                "int_band"               4 obsolete,
            34  IntBor                 "int_bor"                4 obsolete,
            35  IntBxor                "int_bxor"               4 obsolete,
            36  IntBsl                 "int_bsl"                4 obsolete,
            37  IntBsr                 "int_bsr"                4 obsolete,
            38  IntBnot                "int_bnot"               3 obsolete,
            39  IsLt                   "is_lt"                  3 current,
            40  IsGe                   "is_ge"                  3 current,
            41  IsEq                   "is_eq"                  3 current,
            42  IsNe                   "is_ne"                  3 current,
            43  IsEqExact              "is_eq_exact"            3 current,
            44  IsNeExact              "is_ne_exact"            3 current,
            45  IsInteger              "is_integer"             2 current,
            46  IsFloat                "is_float"               2 current,
            47  IsNumber               "is_number"              2 current,
            48  IsAtom                 "is_atom"                2 current,
            49  IsPid                  "is_pid"                 2 current,
            50  IsReference            "is_reference"           2 current,
            51  IsPort                 "is_port"                2 current,
            52  IsNil                  "is_nil"                 2 current,
            53  IsBinary               "is_binary"              2 current,
            54  IsConstant             "is_constant"            2 obsolete,
            55  IsList                 "is_list"                2 current,
            56  IsNonemptyList         "is_nonempty_list"       2 current,
            57  IsTuple                "is_tuple"               2 current,
            58  TestArity              "test_arity"             3 current,
            59  SelectVal              "select_val"             3 current,
            60  SelectTupleArity       "select_tuple_arity"     3 current,
            61  Jump                   "jump"                   1 current,
            62  Catch                  "catch"                  2 current,
            63  CatchEnd               "catch_end"              1 current,
            64  Move                   "move"                   2 current,
            65  GetList                "get_list"               3 current,
            66  GetTupleElement        "get_tuple_element"      3 current,
            67  SetTupleElement        "set_tuple_element"      3 current,
            68  PutString              "put_string"             3 obsolete,
            69  PutList                "put_list"               3 current,
            70  PutTuple               "put_tuple"              2 obsolete,
            71  Put                    "put"                    1 obsolete,
            72  Badmatch               "badmatch"               1 current,
            73  IfEnd                  "if_end"                 0 current,
            74  CaseEnd                "case_end"               1 current,
            75  CallFun                "call_fun"               1 current,
            76  MakeFun                "make_fun"               3 obsolete,
            77  IsFunction             "is_function"            2 current,
            78  CallExtOnly            "call_ext_only"          2 current,
            79  BsStartMatch           "bs_start_match"         2 obsolete,
            80  BsGetInteger           "bs_get_integer"         5 obsolete,
            81  BsGetFloat             "bs_get_float"           5 obsolete,
            82  BsGetBinary            "bs_get_binary"          5 obsolete,
            83  BsSkipBits             "bs_skip_bits"           4 obsolete,
            84  BsTestTail             "bs_test_tail"           2 obsolete,
            85  BsSave                 "bs_save"                1 obsolete,
            86  BsRestore              "bs_restore"             1 obsolete,
            87  BsInit                 "bs_init"                2 obsolete,
            88  BsFinal                "bs_final"               2 obsolete,
            89  BsPutInteger           "bs_put_integer"         5 current,
            90  BsPutBinary            "bs_put_binary"          5 current,
            91  BsPutFloat             "bs_put_float"           5 current,
            92  BsPutString            "bs_put_string"          2 current,
            93  BsNeedBuf              "bs_need_buf"            1 obsolete,
            94  Fclearerror            "fclearerror"            0 current,
            95  Fcheckerror            "fcheckerror"            1 current,
            96  Fmove                  "fmove"                  2 current,
            97  Fconv                  "fconv"                  2 current,
            98  Fadd                   "fadd"                   4 current,
            99  Fsub                   "fsub"                   4 current,
            100 Fmul                   "fmul"                   4 current,
            101 Fdiv                   "fdiv"                   4 current,
            102 Fnegate                "fnegate"                3 current,
            103 MakeFun2               "make_fun2"              1 current,
            104 Try                    "try"                    2 current,
            105 TryEnd                 "try_end"                1 current,
            106 TryCase                "try_case"               1 current,
            107 TryCaseEnd             "try_case_end"           1 current,
            108 Raise                  "raise"                  2 current,
            109 BsInit2                "bs_init2"               6 current,
            110 BsBitsToBytes          "bs_bits_to_bytes"       3 obsolete,
            111 BsAdd                  "bs_add"                 5 current,
            112 Apply                  "apply"                  1 current,
            113 ApplyLast              "apply_last"             2 current,
            114 IsBoolean              "is_boolean"             2 current,
            115 IsFunction2            "is_function2"           3 current,
            116 BsStartMatch2          "bs_start_match2"        5 obsolete,
            117 BsGetInteger2          "bs_get_integer2"        7 current,
            118 BsGetFloat2            "bs_get_float2"          7 current,
            119 BsGetBinary2           "bs_get_binary2"         7 current,
            120 BsSkipBits2            "bs_skip_bits2"          5 current,
            121 BsTestTail2            "bs_test_tail2"          3 current,
            122 BsSave2                "bs_save2"               2 obsolete,
            123 BsRestore2             "bs_restore2"            2 obsolete,
            124 GcBif1                 "gc_bif1"                5 current,
            125 GcBif2                 "gc_bif2"                6 current,
            126 BsFinal2               "bs_final2"              2 obsolete,
            127 BsBitsToBytes2         "bs_bits_to_bytes2"      2 obsolete,
            128 PutLiteral             "put_literal"            2 obsolete,
            129 IsBitstr               "is_bitstr"              2 current,
            130 BsContextToBinary      "bs_context_to_binary"   1 obsolete,
            131 BsTestUnit             "bs_test_unit"           3 current,
            132 BsMatchString          "bs_match_string"        4 current,
            133 BsInitWritable         "bs_init_writable"       0 current,
            134 BsAppend               "bs_append"              8 current,
            135 BsPrivateAppend        "bs_private_append"      6 current,
            136 Trim                   "trim"                   2 current,
            137 BsInitBits             "bs_init_bits"           6 current,
            138 BsGetUtf8              "bs_get_utf8"            5 current,
            139 BsSkipUtf8             "bs_skip_utf8"           4 current,
            140 BsGetUtf16             "bs_get_utf16"           5 current,
            141 BsSkipUtf16            "bs_skip_utf16"          4 current,
            142 BsGetUtf32             "bs_get_utf32"           5 current,
            143 BsSkipUtf32            "bs_skip_utf32"          4 current,
            144 BsUtf8Size             "bs_utf8_size"           3 current,
            145 BsPutUtf8              "bs_put_utf8"            3 current,
            146 BsUtf16Size            "bs_utf16_size"          3 current,
            147 BsPutUtf16             "bs_put_utf16"           3 current,
            148 BsPutUtf32             "bs_put_utf32"           3 current,
            149 OnLoad                 "on_load"                0 current,
            150 RecvMark               "recv_mark"              1 current,
            151 RecvSet                "recv_set"               1 current,
            152 GcBif3                 "gc_bif3"                7 current,
            153 Line                   "line"                   1 current,
            154 PutMapAssoc            "put_map_assoc"          5 current,
            155 PutMapExact            "put_map_exact"          5 current,
            156 IsMap                  "is_map"                 2 current,
            157 HasMapFields           "has_map_fields"         3 current,
            158 GetMapElements         "get_map_elements"       3 current,
            159 IsTaggedTuple          "is_tagged_tuple"        4 current,
            160 BuildStacktrace        "build_stacktrace"       0 current,
            161 RawRaise               "raw_raise"              0 current,
            162 GetHd                  "get_hd"                 2 current,
            163 GetTl                  "get_tl"                 2 current,
            164 PutTuple2              "put_tuple2"             2 current,
            165 BsGetTail              "bs_get_tail"            3 current,
            166 BsStartMatch3          "bs_start_match3"        4 current,
            167 BsGetPosition          "bs_get_position"        3 current,
            168 BsSetPosition          "bs_set_position"        2 current,
            169 Swap                   "swap"                   2 current,
            170 BsStartMatch4          "bs_start_match4"        4 current,
            171 MakeFun3               "make_fun3"              3 current,
            172 InitYregs              "init_yregs"             1 current,
            173 RecvMarkerBind         "recv_marker_bind"       2 current,
            174 RecvMarkerClear        "recv_marker_clear"      1 current,
            175 RecvMarkerReserve      "recv_marker_reserve"    1 current,
            176 RecvMarkerUse          "recv_marker_use"        1 current,
            177 BsCreateBin            "bs_create_bin"          6 current,
            178 CallFun2               "call_fun2"              3 current,
            179 NifStart               "nif_start"              0 current,
            180 Badrecord              "badrecord"              1 current,
        }
    };
}

/// Expands the list into the [`GenOp`] enum and its tables.
macro_rules! define_genops {
    ($($number:literal $variant:ident $name:literal $arity:literal $status:ident,)*) => {
        /// A generic BEAM instruction; the discriminant is its opcode.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        #[repr(u8)]
        pub enum GenOp {
            $($variant = $number,)*
        }

        impl GenOp {
            /// Every instruction, in opcode order.
            pub const ALL: &'static [GenOp] = &[$(GenOp::$variant,)*];

            /// The instruction's name as in OTP's `genop.tab`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(GenOp::$variant => $name,)*
                }
            }

            /// Operand count; a trailing extended list counts as one.
            pub const fn arity(self) -> usize {
                match self {
                    $(GenOp::$variant => $arity,)*
                }
            }

            /// No longer emitted by the compiler; OTP 25 refuses to load it.
            pub const fn is_obsolete(self) -> bool {
                match self {
                    $(GenOp::$variant => define_genops!(@obsolete $status),)*
                }
            }

            /// The instruction with this opcode.
            pub const fn from_number(number: u8) -> Option<GenOp> {
                match number {
                    $($number => Some(GenOp::$variant),)*
                    _ => None,
                }
            }

            /// The opcode.
            pub const fn number(self) -> u8 {
                self as u8
            }
        }
    };
    (@obsolete current) => { false };
    (@obsolete obsolete) => { true };
}

for_each_genop!(define_genops);

/// The highest opcode of OTP 25 (`badrecord`).
pub const MAX_OPCODE: u8 = 180;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opcodes_are_dense_and_round_trip() {
        assert_eq!(GenOp::ALL.len(), MAX_OPCODE as usize);
        for (i, op) in GenOp::ALL.iter().enumerate() {
            assert_eq!(op.number() as usize, i + 1);
            assert_eq!(GenOp::from_number(op.number()), Some(*op));
        }
        assert_eq!(GenOp::from_number(0), None);
        assert_eq!(GenOp::from_number(MAX_OPCODE + 1), None);
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = GenOp::ALL.iter().map(|op| op.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), GenOp::ALL.len());
    }

    /// Spot checks against `beam_opcodes:opname/1` of OTP 25, e.g.
    /// `erl -noshell -eval 'io:format("~p~n", [beam_opcodes:opname(177)]), halt().'`
    /// prints `{bs_create_bin,6}`.
    #[test]
    fn matches_beam_opcodes() {
        let expected = [
            (1, "label", 1),
            (2, "func_info", 3),
            (64, "move", 2),
            (104, "try", 2),
            (153, "line", 1),
            (171, "make_fun3", 3),
            (177, "bs_create_bin", 6),
            (180, "badrecord", 1),
        ];
        for (number, name, arity) in expected {
            let op = GenOp::from_number(number).unwrap();
            assert_eq!((op.name(), op.arity()), (name, arity));
        }
        assert!(GenOp::MPlus.is_obsolete());
        assert!(!GenOp::Move.is_obsolete());
    }
}
