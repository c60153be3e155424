//! Every public serde type of the core carries the `tsify` derive (behind the
//! core's `ts` feature), so the package's `.d.ts` names no type it does not
//! declare. Add this line above the `#[derive(…Serialize…)]` of a new type:
//!
//! ```text
//! #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
//! ```
//!
//! (`scripts/test-js-hosts.sh` also type-checks the built `.d.ts` with tsc.)

use std::fs;
use std::path::Path;

#[test]
fn every_public_serde_type_derives_tsify() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("src");
    let mut missing = Vec::new();
    let mut files: Vec<_> = fs::read_dir(&src).expect("src/").map(|e| e.expect("entry").path()).collect();
    files.sort();
    for path in files.into_iter().filter(|p| p.extension().is_some_and(|x| x == "rs")) {
        let text = fs::read_to_string(&path).expect("readable");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.starts_with("#[derive(") || !(line.contains("Serialize") || line.contains("Deserialize")) {
                continue;
            }
            let Some(item) = lines[i..].iter().find(|l| !l.starts_with("#[") && !l.starts_with("///")) else {
                continue;
            };
            let public = item.starts_with("pub struct ") || item.starts_with("pub enum ");
            let tagged = i > 0 && lines[i - 1].contains("tsify::Tsify");
            if public && !tagged {
                missing.push(format!("{}:{}: {}", path.file_name().unwrap().to_string_lossy(), i + 1, item));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "public serde types without `#[cfg_attr(feature = \"ts\", derive(tsify::Tsify))]`:\n{}",
        missing.join("\n")
    );
}
