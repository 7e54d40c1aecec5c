//! `oxbeam dis --loaded`: the translated code of a few OTP modules, checked
//! against the generic listing of the same files (`oxbeam dis`, itself
//! checked against `beam_disasm`): the same functions in the same order,
//! each starting with its `func_info`, instructions numbered without gaps,
//! every jump target inside the module, the code ending in an instruction
//! that raises, and shapes the translator is known to produce.

mod support;

use std::process::Command;

use support::{installed_file, run};

/// `(name, arity)` of each `function Name/Arity ...` header, in order.
fn function_headers(listing: &str) -> Vec<(String, u32)> {
    listing
        .lines()
        .filter_map(|line| line.strip_prefix("function "))
        .map(|rest| {
            let name_arity = rest.split(' ').next().unwrap();
            let (name, arity) = name_arity.rsplit_once('/').unwrap();
            (name.to_string(), arity.parse().unwrap())
        })
        .collect()
}

fn oxbeam(args: &[&str]) -> String {
    String::from_utf8(run(Command::new(env!("CARGO_BIN_EXE_oxbeam")).args(args))).unwrap()
}

/// Checks the translated listing of `module` (given to oxbeam as `target`,
/// a module name or a file) and returns it.
fn check_module(module: &str, target: &str) -> String {
    let file = installed_file(&format!("{module}.beam"));
    let generic = oxbeam(&["dis", file.to_str().unwrap()]);
    let loaded = oxbeam(&["dis", "--loaded", target]);

    let functions = function_headers(&generic);
    assert!(
        functions.len() > 10,
        "{module}: {} functions",
        functions.len()
    );
    assert_eq!(function_headers(&loaded), functions, "{module}: functions");

    let mut lines = loaded.lines();
    let head = lines.next().unwrap();
    let count: usize = head
        .strip_prefix(&format!("module {module} ("))
        .and_then(|rest| rest.strip_suffix(" instructions)"))
        .unwrap_or_else(|| panic!("{module}: module line {head:?}"))
        .parse()
        .unwrap();
    let mut next_ip = 0;
    let mut expect_func_info: Option<(String, usize)> = None;
    for line in lines {
        if let Some(rest) = line.strip_prefix("function ") {
            let mut words = rest.split(' ');
            let name_arity = words.next().unwrap().to_string();
            assert_eq!(words.next(), Some("entry"), "{module}: {line}");
            let entry: usize = words.next().unwrap()[1..].parse().unwrap();
            assert_eq!(
                entry,
                next_ip + 1,
                "{module}: {line}: entry after func_info"
            );
            expect_func_info = Some((name_arity, next_ip));
            continue;
        }
        let mut words = line.split_whitespace();
        let ip: usize = words.next().unwrap()[1..].parse().unwrap();
        assert_eq!(ip, next_ip, "{module}: instructions numbered in order");
        next_ip += 1;
        let name = words.next().unwrap();
        if let Some((name_arity, at)) = expect_func_info.take() {
            assert_eq!(at, ip);
            assert_eq!(name, "func_info", "{module}: {line}");
            assert_eq!(
                words.next(),
                Some(format!("{module}:{name_arity}").as_str()),
                "{module}: {line}"
            );
        }
        for word in line.split([' ', ',', '[', ']']) {
            if let Some(target) = word.strip_prefix('@').filter(|t| *t != "none") {
                let target: usize = target.parse().unwrap();
                assert!(target < count, "{module}: {line}: target out of the module");
            }
        }
    }
    assert_eq!(next_ip, count, "{module}: instruction count");
    // The interpreter's code pointer relies on this: code that runs off
    // the end, or jumps past the last instruction, raises here.
    assert!(
        loaded.trim_end().ends_with("unsupported int_code_end"),
        "{module}: the code ends in the int_code_end sentinel"
    );
    loaded
}

#[test]
fn translated_code_lists_every_function_of_otp_modules() {
    let lists = check_module("lists", "lists");
    // NIF stubs replaced by their natives; a self-recursive local call.
    assert!(lists.contains(" native_body lists:reverse/2\n"));
    assert!(lists.contains(" native_body lists:keyfind/3\n"));
    assert!(lists.contains(" call_only @"));
    assert!(lists.contains(" get_list x0 x"));

    let maps = check_module("maps", "maps");
    assert!(maps.contains(" native_body maps:get/2\n"));

    // Through the file rather than the code path.
    let file = installed_file("io_lib_format.beam");
    let format = check_module("io_lib_format", file.to_str().unwrap());
    // Guard BIFs with their arguments, and select_val jump tables.
    assert!(format.contains(" bif erlang:"));
    assert!(format.contains(" select_val x"));
}
