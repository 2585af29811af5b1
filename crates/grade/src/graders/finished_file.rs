//! `finished_file`: the stripped contents of `finished.txt` equal the expected word.

use crate::py::{self, PyResult};
use crate::result::{configuration_error_result, fail, GraderResult};
use crate::value::Value;

const NAME: &str = "Finished File";

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let Some(cfg) = config.as_object() else {
        return Ok(configuration_error_result(NAME, "config must be an object"));
    };
    let default = Value::str("finished");
    let expected = match cfg.get("expected").unwrap_or(&default) {
        Value::Str(s) if !py::strip(s).is_empty() => s.as_str(),
        _ => {
            return Ok(configuration_error_result(
                NAME,
                "expected must be a non-empty string",
            ))
        }
    };
    let Some(ans) = answer.as_object() else {
        return Ok(fail("agent answer must be an object"));
    };
    let contents = match ans.get("finished_file_contents") {
        None | Some(Value::Null) => {
            return Ok(fail("agent_answer missing 'finished_file_contents'"))
        }
        Some(Value::Str(s)) => s,
        Some(_) => return Ok(fail("finished_file_contents must be a string")),
    };
    let stripped = py::strip(contents);
    let passed = stripped == expected;
    let metrics = crate::obj! {"finished_file_contents" => contents.as_str()};
    let reasoning = crate::sfmt!(
        "finished.txt stripped to {}; expected {}",
        py::repr_str(stripped),
        py::repr_str(expected)
    );
    Ok(GraderResult::pass_fail(passed, metrics, &reasoning))
}

#[cfg(test)]
mod tests {
    use crate::json::parse;

    #[test]
    fn strips_with_python_whitespace() {
        let cfg = parse("{}").unwrap();
        let r = crate::grade_with(
            "finished_file",
            &cfg,
            &parse(r#"{"finished_file_contents": "\u001c finished\n"}"#).unwrap(),
        );
        assert!(r.passed);
        let r = crate::grade_with(
            "finished_file",
            &cfg,
            &parse(r#"{"finished_file_contents": "Finished"}"#).unwrap(),
        );
        assert!(!r.passed);
        let r = crate::grade_with(
            "finished_file",
            &parse(r#"{"expected": " "}"#).unwrap(),
            &cfg,
        );
        assert!(r.configuration_error);
    }
}
