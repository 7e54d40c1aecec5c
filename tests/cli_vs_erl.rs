//! The erl-compatible command line and direct mode's io server against
//! erl: each case's command line runs as `erl -pa DIR ARGS...` and as
//! `oxbeam -pa DIR ARGS...` (DIR holds `tests/tools/cli_io.erl`), with the
//! same bytes on standard input, and the two must print the same bytes on
//! standard output and exit with the same status. erl is run at test time:
//! it is the oracle for every expected value.
//!
//! The cases cover `io:format` directives and unicode on a latin1 and a
//! unicode device, the io server's other requests and its error replies,
//! `-s`/`-run` arguments and their order with `-eval`, `-extra` and user
//! flags, crashes of `-eval` (status 1), `halt/1` and `init:stop/1`,
//! reading piped standard input (`get_line`, `read`, `get_chars`, binary
//! mode), and `+S`, `-env`. Each runs on oxbeam as it is and with a
//! garbage collection at every safe point.

mod support;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one run may take.
const TIME_LIMIT: Duration = Duration::from_secs(60);

struct Case {
    name: &'static str,
    args: &'static [&'static str],
    stdin: &'static [u8],
}

const CASES: &[Case] = &[
    Case {
        name: "format_directives",
        args: &[
            "-noshell",
            "-eval",
            r##"io:fwrite("~w ~p ~s ~c ~e ~f ~g ~.3f ~10.2f|~-10s|~10s|~b ~.16B ~.16b ~x ~X ~# ~+ ~i~~~n",
                         [{a,"b"}, [1,2,3], "str", $x, 1.5, 2.25, 3.0e10, 3.14159, 2.5, "left",
                          "right", 255, 255, 255, 10, "0x", 255, "#x", 16, 7, ignored]),
               io:format("~p~n~P~n~W~n", [lists:seq(1, 40), lists:seq(1, 40), 5, {a, [b, [c]]}, 2]),
               io:format("~10.3.0B|~-8.2c|~s~n", [42, $z, <<"binary">>]),
               io:write({a, [1, 2], <<"bin">>, 1.0}), io:nl(),
               io:format("no arguments~n"), io:format("~s~n", [[$a, "b", <<"c">>]]),
               halt()."##,
        ],
        stdin: b"",
    },
    Case {
        name: "format_unicode_latin1_device",
        args: &[
            "-noshell",
            "-eval",
            r##"io:format("~ts|~s|~tp|~p~n", [[1024], [200], [1024, 200], [1024]]),
               io:format("~ts~n~p~n~tp~n", ["日本語", "日本語", <<"日本"/utf8>>]),
               io:format("~p ~ts~n", [{'héllo', "x"}, <<"é"/utf8>>]),
               io:put_chars(<<"é"/utf8>>), io:put_chars([1024, $a, <<"b">>]), io:nl(),
               ok = io:request(standard_io, {put_chars, latin1, <<233>>}), io:nl(), halt()."##,
        ],
        stdin: b"",
    },
    Case {
        name: "format_unicode_device",
        args: &[
            "-noshell",
            "-eval",
            r##"ok = io:setopts([{encoding, unicode}]),
               io:format("~ts|~s|~tp|~p~n", [[1024], [200], [1024, 200], [1024]]),
               io:format("~ts ~p~n", ["日本語", "日本語"]), io:put_chars(<<"é"/utf8>>),
               io:put_chars(<<255>>), io:nl(), io:format("~p~n", [io:getopts()]), halt()."##,
        ],
        stdin: b"",
    },
    Case {
        name: "unicode_in_arguments",
        args: &[
            "-noshell",
            "-eval",
            r##"io:format("~ts ~w~n", ["é日", "é日"]),
               io:format("~p~n", [init:get_plain_arguments()]), halt()."##,
            "-extra",
            "é",
            "日",
        ],
        stdin: b"",
    },
    Case {
        name: "bad_arguments_caught",
        args: &["-noshell", "-eval", "cli_io:caught(), halt()."],
        stdin: b"",
    },
    Case {
        name: "device_requests",
        args: &["-noshell", "-eval", "cli_io:device(), halt()."],
        stdin: b"",
    },
    // (erl writes erlang:display/1's text at once, and may do so before
    // the output of earlier io requests: it comes first here.)
    Case {
        name: "requests_and_other_devices",
        args: &[
            "-noshell",
            "-eval",
            r##"erlang:display({x, "y"}),
               io:format(user, "to user~n", []), io:format(standard_io, "to standard_io~n", []),
               io:put_chars(standard_error, "to standard_error\n"),
               ok = io:requests([{put_chars, unicode, "r1\n"}, {format, "~p~n", [r2]}, nl]),
               io:format("~p~n", [io:requests([{put_chars, unicode, "r3\n"},
                                               {put_chars, latin1, [1000]},
                                               {put_chars, unicode, "never\n"}])]),
               io:format("~p~n", [io:request(user, {get_geometry, foo})]),
               io:format("no newline"), halt()."##,
        ],
        stdin: b"",
    },
    Case {
        name: "s_and_run_arguments",
        args: &[
            "-noshell", "-s", "cli_io", "show", "a", "b c", "-run", "cli_io", "show", "a", "b c",
            "-s", "cli_io", "-run", "cli_io", "-s", "init", "stop",
        ],
        stdin: b"",
    },
    Case {
        name: "items_in_order",
        args: &[
            "-noshell",
            "-run",
            "cli_io",
            "show",
            "one",
            "-eval",
            r##"io:format("two~n")"##,
            "-s",
            "cli_io",
            "show",
            "three",
            "-eval",
            "halt(4).",
            "-s",
            "cli_io",
            "show",
            "never",
        ],
        stdin: b"",
    },
    Case {
        name: "flags_and_plain_arguments",
        args: &[
            // (`--` ends the values of the harness's `-pa DIR`.)
            "--",
            "plain",
            "-noshell",
            "-myflag",
            "x",
            "y",
            "-myflag",
            "--",
            "after_dashes",
            "-eval",
            r##"io:format("~p~n~p~n~p~n~p~n", [init:get_plain_arguments(), init:get_argument(myflag),
                                             init:get_argument(noshell), init:get_argument(nosuch)]),
               halt()."##,
            "-extra",
            "-s",
            "x",
            "+S",
            "1",
        ],
        stdin: b"",
    },
    Case {
        name: "eval_error",
        args: &[
            "-noshell",
            "-eval",
            r##"io:format("before~n"), error(boom)."#],
        stdin: b"",
    },
    Case {
        name: "eval_syntax_error",
        args: &["-noshell", "-eval", "foo(."],
        stdin: b"",
    },
    Case {
        name: "s_undefined_function",
        args: &["-noshell", "-s", "cli_io", "no_such_function"],
        stdin: b"",
    },
    Case {
        name: "halt_status",
        args: &["-noshell", "-eval", r##"io:format("before halt~n"), halt(3)."#],
        stdin: b"",
    },
    Case {
        name: "halt_without_newline",
        args: &["-noshell", "-eval", r##"io:format("no newline"), halt()."#],
        stdin: b"",
    },
    Case {
        name: "init_stop_status",
        args: &["-noshell", "-eval", r##"io:format("stopping~n"), init:stop(5)."#],
        stdin: b"",
    },
    Case {
        name: "get_line_piped",
        args: &["-noshell", "-s", "cli_io", "lines", "-s", "init", "stop"],
        stdin: b"hello\nworld\r\n\r\nlast line without newline",
    },
    Case {
        name: "get_line_prompt_and_eof",
        args: &[
            "-noshell",
            "-eval",
            r##"io:format("~p~n", [io:get_line("name> ")]), io:format("~p~n", [io:get_line('')]),
               io:format("~p~n", [io:get_line("")]), io:format("~p~n", [io:get_chars("", 1)]),
               io:format("~p~n", [io:read("")]), halt()."##,
        ],
        stdin: b"first\n",
    },
    Case {
        name: "read_terms",
        args: &["-noshell", "-s", "cli_io", "terms", "-s", "init", "stop"],
        stdin: b"{a, 1}. [1,2,3].\n\"str\". foo(.\n",
    },
    Case {
        name: "fread_and_get_chars",
        args: &[
            "-noshell",
            "-eval",
            r##"io:format("~p~n", [io:fread("f> ", "~d ~s ~f")]), io:format("~p~n", [io:fread("", "~d")]),
               io:format("~p~n", [io:get_chars("c> ", 3)]), io:format("~p~n", [io:get_line("")]),
               halt()."##,
        ],
        stdin: b"12 abc 3.5\nxyz rest\n",
    },
    Case {
        name: "get_chars_piped",
        args: &[
            "-noshell", "-run", "cli_io", "chars", "4", "-s", "init", "stop",
        ],
        stdin: b"0123456789\n\xc3\xa9t\xc3\xa9",
    },
    // (erl's user crashes when it goes from list to binary mode with a
    // line of input left over, so each mode has a case of its own.)
    Case {
        name: "binary_input",
        args: &[
            "-noshell",
            "-eval",
            r##"ok = io:setopts([binary]), io:format("~p~n", [io:get_line("")]),
               io:format("~p~n", [io:get_chars("", 3)]), io:format("~p~n", [io:get_line("")]),
               ok = io:setopts([{encoding, unicode}]), io:format("~p~n", [io:get_line("")]),
               io:format("~p~n", [io:get_chars("", 2)]), io:format("~p~n", [io:get_line("")]),
               io:format("~p~n", [io:get_line("")]), halt()."##,
        ],
        stdin: b"line1\nabcd\n\xc3\xa9t\xc3\xa9\n\xe6\x97\xa5\xc3\xa9\n",
    },
    Case {
        name: "unicode_input",
        args: &[
            "-noshell",
            "-eval",
            r##"ok = io:setopts([{encoding, unicode}]), io:format("~w~n", [io:get_line("")]),
               io:format("~w~n", [io:get_chars("", 2)]), io:format("~w~n", [io:get_line("")]),
               io:format("~w~n", [io:get_line("")]), halt()."##,
        ],
        stdin: b"\xc3\xa9t\xc3\xa9\n\xe6\x97\xa5\xc3\xa9x\n",
    },
    Case {
        name: "schedulers_and_environment",
        args: &[
            "+S",
            "1",
            "-env",
            "CLI_IO_VAR",
            "value",
            "-noshell",
            "-eval",
            r##"io:format("~p~n", [{erlang:system_info(schedulers), os:getenv("CLI_IO_VAR"),
                                   erlang:system_info(otp_release)}]), halt()."##,
        ],
        stdin: b"",
    },
    Case {
        name: "code_in_direct_mode",
        args: &[
            "-noshell",
            "-eval",
            r##"io:format("~p~n", [[code:which(lists), code:which(init), code:which(no_such_module),
                                   code:is_loaded(init), code:is_loaded(no_such_module),
                                   code:ensure_loaded(lists), code:ensure_loaded(no_such_module),
                                   code:ensure_modules_loaded([lists, no_such_module]),
                                   code:root_dir(), code:lib_dir(stdlib), code:priv_dir(kernel),
                                   code:is_sticky(lists), code:load_file(no_such_module),
                                   code:add_patha("/no/such/dir"), code:get_mode()]]),
               halt()."##,
        ],
        stdin: b"",
    },
];

/// What a run printed on standard output, and its exit status (`None`
/// when killed at the time limit).
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: Option<i32>,
}

/// Runs `command` with `stdin` as its input, under the time limit.
fn run(command: &mut Command, stdin: &'static [u8]) -> Outcome {
    command
        .env("ERL_CRASH_DUMP_SECONDS", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let mut input = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || {
        // The program may end without reading it all.
        let _ = input.write_all(stdin);
    });
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.code(),
            Ok(None) if start.elapsed() <= TIME_LIMIT => {
                std::thread::sleep(Duration::from_millis(5))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let _ = writer.join();
    Outcome {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        status,
    }
}

fn command(program: &str, code: &Path, cwd: &Path, case: &Case) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(cwd)
        .arg("-pa")
        .arg(code)
        .args(case.args);
    command
}

#[test]
fn command_lines_and_io_give_what_erl_gives() {
    support::require_erl();
    let code = support::scratch_dir("cli_vs_erl");
    support::compile_tool("cli_io", &code);
    let cwd = code.join("run");
    std::fs::create_dir_all(&cwd).expect("create the runs' directory");

    let mut failures = Vec::new();
    for case in CASES {
        let erl = run(&mut command("erl", &code, &cwd, case), case.stdin);
        assert!(
            erl.status.is_some(),
            "{}: erl did not finish in {TIME_LIMIT:?}",
            case.name
        );
        for gc_stress in [false, true] {
            let mut oxbeam = command(env!("CARGO_BIN_EXE_oxbeam"), &code, &cwd, case);
            if gc_stress {
                oxbeam.env("OXBEAM_GC_STRESS", "1");
            }
            let got = run(&mut oxbeam, case.stdin);
            let mode = if gc_stress { " (GC stress)" } else { "" };
            if got.status != erl.status {
                failures.push(format!(
                    "{}{mode}: exit status {:?}, erl's {:?}; stderr: {}",
                    case.name,
                    got.status,
                    erl.status,
                    String::from_utf8_lossy(&got.stderr)
                ));
            } else if got.stdout != erl.stdout {
                failures.push(format!(
                    "{}{mode}: standard output differs {}",
                    case.name,
                    support::first_difference(
                        &String::from_utf8_lossy(&erl.stdout),
                        &String::from_utf8_lossy(&got.stdout)
                    )
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} runs differ from erl:\n{}",
        failures.len(),
        CASES.len() * 2,
        failures.join("\n")
    );
}
