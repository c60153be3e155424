//! `#[derive(Decode)]` and `#[derive(Encode)]`, attribute by attribute:
//! what a derived type reads (values, and the problems reported with their
//! paths) and the exact canonical JSON it writes.
//!
//! The derives are used as the engine uses them, through `siyu-wire` (a
//! dev-dependency named `siyu` here, so that the `::siyu::decode` and
//! `::siyu::encode` paths they write resolve).

use siyu::decode::{self, Decode, Json, Whole};
use siyu::encode::{to_json, Encode};

/// Decode `text` as a `T`, which must work.
fn read<T: Decode + std::fmt::Debug>(text: &str) -> T {
    decode::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The problems refusing `text` as a `T`: code, path and English message,
/// in the order reported.
fn problems<T: Decode + std::fmt::Debug>(text: &str) -> Vec<(&'static str, String, String)> {
    let e = decode::from_str::<T>(text).unwrap_err();
    assert_eq!(e.code, "INPUT_INVALID", "{text}");
    e.problems.iter().map(|p| (p.code.as_str(), p.path.clone(), p.en.clone())).collect()
}

/// `(code, path, message)`, as `problems` lists them.
fn problem(code: &'static str, path: &str, en: &str) -> (&'static str, String, String) {
    (code, path.to_string(), en.to_string())
}

// ------------------------------------------------------------------ fields

#[derive(Debug, PartialEq, Decode, Encode)]
#[serde(deny_unknown_fields)]
struct Strict {
    sku: String,
    qty: u32,
}

#[derive(Debug, PartialEq, Decode, Encode)]
struct Loose {
    sku: String,
}

#[derive(Debug, PartialEq, Decode)]
#[serde(deny_unknown_fields)]
struct Basket {
    lines: Vec<Strict>,
}

#[test]
fn deny_unknown_fields_reports_each_unknown_key_at_its_path() {
    assert_eq!(
        problems::<Strict>(r#"{"sku":"A","qty":1,"colour":"red","size":2}"#),
        [
            problem("UNKNOWN_FIELD", "colour", "unknown field `colour`, expected one of `sku`, `qty`"),
            problem("UNKNOWN_FIELD", "size", "unknown field `size`, expected one of `sku`, `qty`"),
        ]
    );
    assert_eq!(
        problems::<Basket>(r#"{"lines":[{"sku":"A","qty":1},{"sku":"B","qty":2,"qtty":3}]}"#),
        [problem("UNKNOWN_FIELD", "lines[1].qtty", "unknown field `qtty`, expected one of `sku`, `qty`")]
    );
    // The problem is UNKNOWN_FIELD's own, in both languages.
    let e = decode::from_str::<Strict>(r#"{"sku":"A","qty":1,"x":0}"#).unwrap_err();
    assert_eq!(e.problems[0].zh, "未知字段 `x`，应为 `sku`、`qty` 之一");
}

#[test]
fn without_deny_unknown_fields_unknown_keys_are_ignored() {
    assert_eq!(read::<Loose>(r#"{"colour":"red","sku":"A","size":[1]}"#), Loose { sku: "A".into() });
}

#[test]
fn a_required_field_absent_is_missing() {
    assert_eq!(problems::<Strict>(r#"{"sku":"A"}"#), [problem("MISSING_FIELD", "qty", "missing field `qty`")]);
    assert_eq!(
        problems::<Strict>("{}"),
        [
            problem("MISSING_FIELD", "sku", "missing field `sku`"),
            problem("MISSING_FIELD", "qty", "missing field `qty`")
        ]
    );
    let e = decode::from_str::<Strict>("{}").unwrap_err();
    assert_eq!(e.problems[0].zh, "缺少必填字段 `sku`");
}

#[test]
fn a_field_of_the_wrong_type_is_refused_and_so_is_a_struct_that_is_not_an_object() {
    assert_eq!(
        problems::<Strict>(r#"{"sku":"A","qty":"1"}"#),
        [problem("WRONG_TYPE", "qty", "expected a whole number from 0 to 4294967295, found the string \"1\"")]
    );
    assert_eq!(problems::<Strict>("[1]"), [problem("WRONG_TYPE", "", "expected an object, found an array")]);
}

/// The engine's money: an alias of `i64` that the derive tells apart by
/// its spelling.
type Fen = i64;

#[derive(Debug, PartialEq, Decode)]
#[serde(deny_unknown_fields)]
#[decode(expected(en = "the price list", zh = "价目表"))]
struct Priced {
    price: Fen,
    cap: Option<Fen>,
    #[serde(default)]
    steps: Vec<Fen>,
    count: i64,
}

#[test]
fn messages_name_money_in_fen_and_a_type_by_its_own_words() {
    let text = r#"{"price":"9.90","cap":1.5,"steps":[1,"x"],"count":"2"}"#;
    let e = decode::from_str::<Priced>(text).unwrap_err();
    let said: Vec<(&str, &str, &str)> =
        e.problems.iter().map(|p| (p.path.as_str(), p.en.as_str(), p.zh.as_str())).collect();
    assert_eq!(
        said,
        [
            (
                "price",
                "expected an integer number of fen, found the string \"9.90\"",
                "应为以分为单位的整数，实际为字符串 \"9.90\""
            ),
            (
                "cap",
                "expected an integer number of fen, found the decimal number `1.5`",
                "应为以分为单位的整数，实际为小数 `1.5`"
            ),
            (
                "steps[1]",
                "expected an integer number of fen, found the string \"x\"",
                "应为以分为单位的整数，实际为字符串 \"x\""
            ),
            // Not money: the flag is off again after a money field.
            ("count", "expected an integer, found the string \"2\"", "应为整数，实际为字符串 \"2\""),
        ]
    );
    let e = decode::from_str::<Priced>("7").unwrap_err();
    assert_eq!(
        (e.problems[0].en.as_str(), e.problems[0].zh.as_str()),
        ("expected the price list, found the number `7`", "应为价目表，实际为数字 `7`")
    );
    let e = decode::from_str::<Priced>(r#"{"price":99999999999999999999,"count":1}"#).unwrap_err();
    assert_eq!(
        e.problems[0].en,
        "`99999999999999999999` is out of range: expected an integer number of fen from -9223372036854775808 to 9223372036854775807"
    );
}

#[test]
fn keys_are_read_in_any_order() {
    assert_eq!(read::<Strict>(r#"{"qty":2,"sku":"B"}"#), Strict { sku: "B".into(), qty: 2 });
}

fn seven() -> u32 {
    7
}

mod defaults {
    pub fn tags() -> Vec<String> {
        vec!["new".to_string()]
    }
}

#[derive(Debug, PartialEq, Decode, Encode)]
#[serde(deny_unknown_fields)]
struct Defaults {
    /// `Option`: absent (or null) is `None`.
    note: Option<String>,
    #[serde(default)]
    count: u32,
    #[serde(default)]
    list: Vec<u32>,
    #[serde(default = "seven")]
    days: u32,
    #[serde(default = "defaults::tags")]
    tags: Vec<String>,
}

#[test]
fn absent_options_and_defaults() {
    assert_eq!(
        read::<Defaults>("{}"),
        Defaults { note: None, count: 0, list: vec![], days: 7, tags: vec!["new".into()] }
    );
    assert_eq!(read::<Defaults>(r#"{"note":null}"#).note, None);
    assert_eq!(
        read::<Defaults>(r#"{"note":"n","count":3,"list":[1,2],"days":30,"tags":[]}"#),
        Defaults { note: Some("n".into()), count: 3, list: vec![1, 2], days: 30, tags: vec![] }
    );
    // A default is for an absent field, not for a wrong one.
    assert_eq!(
        problems::<Defaults>(r#"{"count":null,"days":"x"}"#),
        [
            problem("WRONG_TYPE", "count", "expected a whole number from 0 to 4294967295, found null"),
            problem("WRONG_TYPE", "days", "expected a whole number from 0 to 4294967295, found the string \"x\""),
        ]
    );
}

#[derive(Debug, PartialEq, Decode, Encode)]
#[serde(deny_unknown_fields)]
struct Skipping {
    id: String,
    #[serde(skip)]
    cache: u32,
}

#[test]
fn a_skipped_field_is_neither_read_nor_written() {
    assert_eq!(read::<Skipping>(r#"{"id":"a"}"#), Skipping { id: "a".into(), cache: 0 });
    // Not a key of the object: with deny_unknown_fields, an unknown one.
    assert_eq!(
        problems::<Skipping>(r#"{"id":"a","cache":5}"#),
        [problem("UNKNOWN_FIELD", "cache", "unknown field `cache`, expected `id`")]
    );
    assert_eq!(to_json(&Skipping { id: "a".into(), cache: 9 }), r#"{"id":"a"}"#);
}

#[derive(Debug, PartialEq, Decode, Encode)]
struct Raw {
    r#type: String,
    r#loop: u8,
}

#[test]
fn a_raw_identifier_is_its_name() {
    let raw = read::<Raw>(r#"{"type":"t","loop":1}"#);
    assert_eq!(raw, Raw { r#type: "t".into(), r#loop: 1 });
    assert_eq!(to_json(&raw), r#"{"loop":1,"type":"t"}"#);
}

#[derive(Debug, PartialEq, Decode, Encode)]
struct Empty {}

#[derive(Debug, PartialEq, Decode, Encode)]
struct Unit;

#[test]
fn a_struct_without_fields_is_an_empty_object() {
    assert_eq!(read::<Empty>(r#"{"any":1}"#), Empty {});
    assert_eq!(read::<Unit>("{}"), Unit);
    assert_eq!(to_json(&Empty {}), "{}");
    assert_eq!(to_json(&Unit), "{}");
    assert_eq!(problems::<Unit>("null"), [problem("WRONG_TYPE", "", "expected an object, found null")]);
}

// ---------------------------------------------------- canonical key order

#[derive(Debug, PartialEq, Decode, Encode)]
struct Order {
    zeta: u8,
    ab: u8,
    a_b: u8,
    a1: u8,
    a: u8,
    b: Vec<Strict>,
}

#[test]
fn keys_are_written_in_byte_order_whatever_the_declaration_order() {
    let o = Order { zeta: 1, ab: 2, a_b: 3, a1: 4, a: 5, b: vec![Strict { sku: "S".into(), qty: 6 }] };
    // By the keys' bytes: "a" < "a1" < "a_b" ('1' < '_') < "ab" ('_' < 'b') < "b" < "zeta";
    // nested objects too.
    assert_eq!(to_json(&o), r#"{"a":5,"a1":4,"a_b":3,"ab":2,"b":[{"qty":6,"sku":"S"}],"zeta":1}"#);
    assert_eq!(read::<Order>(&to_json(&o)), o);
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

#[derive(Debug, PartialEq, Decode, Encode)]
struct Sparse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    bonus: i64,
    /// Not skipped: `null` when `None`.
    label: Option<String>,
}

#[test]
fn skip_serializing_if_leaves_out_the_members_it_says() {
    let empty = Sparse { note: None, tags: vec![], bonus: 0, label: None };
    assert_eq!(to_json(&empty), r#"{"label":null}"#);
    let full = Sparse { note: Some("n".into()), tags: vec!["t".into()], bonus: -3, label: Some("l".into()) };
    // `Option::is_none`: the value itself when `Some`.
    assert_eq!(to_json(&full), r#"{"bonus":-3,"label":"l","note":"n","tags":["t"]}"#);
    assert_eq!(read::<Sparse>(&to_json(&full)), full);
    assert_eq!(read::<Sparse>(&to_json(&empty)), empty);
}

// ------------------------------------------------------------------- enums

// `VIP`: serde's snake_case of an acronym is a letter a word, `v_i_p`.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, PartialEq, Decode, Encode)]
#[serde(rename_all = "snake_case")]
enum Level {
    Gold,
    SilverPlus,
    VIP,
}

#[derive(Debug, PartialEq, Decode, Encode)]
enum Plain {
    Gold,
    SilverPlus,
}

#[test]
fn unit_enums_are_strings_snake_case_when_renamed() {
    assert_eq!(read::<Vec<Level>>(r#"["gold","silver_plus","v_i_p"]"#), [Level::Gold, Level::SilverPlus, Level::VIP]);
    assert_eq!(to_json(&vec![Level::Gold, Level::SilverPlus, Level::VIP]), r#"["gold","silver_plus","v_i_p"]"#);
    assert_eq!(read::<Plain>(r#""SilverPlus""#), Plain::SilverPlus);
    assert_eq!(to_json(&Plain::SilverPlus), r#""SilverPlus""#);
    assert_eq!(
        problems::<Vec<Level>>(r#"["gold","Gold",1]"#),
        [
            problem("UNKNOWN_VARIANT", "[1]", "unknown value `Gold`, expected one of `gold`, `silver_plus`, `v_i_p`"),
            problem("WRONG_TYPE", "[2]", "expected one of `gold`, `silver_plus`, `v_i_p`, found the number `1`"),
        ]
    );
}

#[derive(Debug, PartialEq, Decode, Encode)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum Reward {
    /// The tag sorts among the fields: `amount` < `kind` < `note`.
    Points {
        amount: i64,
        note: Option<String>,
        #[serde(skip)]
        cached: u32,
    },
    /// All the fields before the tag.
    Coupon {
        b: String,
        a: u8,
    },
    /// All after it.
    Gift {
        z: u8,
        #[serde(default = "seven")]
        qty: u32,
    },
    Nothing,
    Empty {},
}

#[test]
fn internally_tagged_enums_read_the_tag_and_the_variants_fields() {
    assert_eq!(
        read::<Vec<Reward>>(
            r#"[{"kind":"points","amount":5},{"a":1,"b":"x","kind":"coupon"},{"kind":"gift","z":2},{"kind":"nothing"},{"kind":"empty"}]"#
        ),
        [
            Reward::Points { amount: 5, note: None, cached: 0 },
            Reward::Coupon { b: "x".into(), a: 1 },
            Reward::Gift { z: 2, qty: 7 },
            Reward::Nothing,
            Reward::Empty {},
        ]
    );
}

#[test]
fn internally_tagged_enums_write_the_tag_in_key_order() {
    assert_eq!(
        to_json(&Reward::Points { amount: 5, note: Some("n".into()), cached: 9 }),
        r#"{"amount":5,"kind":"points","note":"n"}"#
    );
    assert_eq!(to_json(&Reward::Coupon { b: "x".into(), a: 1 }), r#"{"a":1,"b":"x","kind":"coupon"}"#);
    assert_eq!(to_json(&Reward::Gift { z: 2, qty: 3 }), r#"{"kind":"gift","qty":3,"z":2}"#);
    assert_eq!(to_json(&Reward::Nothing), r#"{"kind":"nothing"}"#);
    assert_eq!(to_json(&Reward::Empty {}), r#"{"kind":"empty"}"#);
}

#[test]
fn internally_tagged_enums_refuse_an_unknown_or_missing_tag_and_unknown_fields() {
    assert_eq!(
        problems::<Vec<Reward>>(r#"[{"kind":"cash","amount":5},{"amount":5},{"kind":3},"points"]"#),
        [
            problem(
                "UNKNOWN_VARIANT",
                "[0].kind",
                "unknown value `cash`, expected one of `points`, `coupon`, `gift`, `nothing`, `empty`"
            ),
            problem("MISSING_FIELD", "[1].kind", "missing field `kind`"),
            problem(
                "WRONG_TYPE",
                "[2].kind",
                "expected one of `points`, `coupon`, `gift`, `nothing`, `empty`, found the number `3`"
            ),
            problem("WRONG_TYPE", "[3]", "expected an object, found the string \"points\""),
        ]
    );
    // A variant's keys are the tag and its own fields (not a skipped one).
    assert_eq!(
        problems::<Reward>(r#"{"kind":"points","amount":1,"cached":2}"#),
        [problem("UNKNOWN_FIELD", "cached", "unknown field `cached`, expected one of `kind`, `amount`, `note`")]
    );
    assert_eq!(problems::<Reward>(r#"{"kind":"coupon","a":1}"#), [problem("MISSING_FIELD", "b", "missing field `b`")]);
}

// ----------------------------------------------------------------- flatten

#[derive(Debug, PartialEq, Decode, Encode)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum What {
    Earned {
        points: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    CheckedIn {},
}

/// As the engine's events: the parent's own keys, and a flattened tagged
/// enum, which denies any key that is neither its own nor the parent's.
#[derive(Debug, PartialEq, Decode, Encode)]
struct Event {
    id: String,
    zz: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    by: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    at: i64,
    #[serde(flatten)]
    what: What,
}

#[test]
fn flatten_reads_one_object_into_parent_and_part() {
    assert_eq!(
        read::<Event>(r#"{"type":"earned","points":3,"id":"e1","zz":1,"at":9}"#),
        Event { id: "e1".into(), zz: 1, by: None, at: 9, what: What::Earned { points: 3, reason: None } }
    );
    assert_eq!(
        read::<Event>(r#"{"id":"e2","zz":0,"by":"me","type":"checked_in"}"#),
        Event { id: "e2".into(), zz: 0, by: Some("me".into()), at: 0, what: What::CheckedIn {} }
    );
}

#[test]
fn flatten_reports_the_parts_problems_and_the_parents_at_the_same_level() {
    assert_eq!(
        problems::<Event>(r#"{"type":"earned","points":"3","id":"e1","bogus":1}"#),
        [
            problem("MISSING_FIELD", "zz", "missing field `zz`"),
            problem(
                "UNKNOWN_FIELD",
                "bogus",
                "unknown field `bogus`, expected one of `id`, `zz`, `by`, `at`, `type`, `points`, `reason`"
            ),
            problem("WRONG_TYPE", "points", "expected an integer, found the string \"3\""),
        ]
    );
    assert_eq!(
        problems::<Event>(r#"{"id":"e1","zz":1,"type":"spent"}"#),
        [problem("UNKNOWN_VARIANT", "type", "unknown value `spent`, expected one of `earned`, `checked_in`")]
    );
}

#[test]
fn flatten_writes_the_parents_and_the_parts_keys_merged_in_order() {
    let e = Event {
        id: "e1".into(),
        zz: 1,
        by: Some("me".into()),
        at: 9,
        what: What::Earned { points: 3, reason: Some("r".into()) },
    };
    assert_eq!(to_json(&e), r#"{"at":9,"by":"me","id":"e1","points":3,"reason":"r","type":"earned","zz":1}"#);
    assert_eq!(read::<Event>(&to_json(&e)), e);
    // The parent's members skipped by skip_serializing_if, and the part's.
    let e = Event { id: "e2".into(), zz: 0, by: None, at: 0, what: What::Earned { points: -1, reason: None } };
    assert_eq!(to_json(&e), r#"{"id":"e2","points":-1,"type":"earned","zz":0}"#);
    let e = Event { id: "e3".into(), zz: 2, by: None, at: 0, what: What::CheckedIn {} };
    assert_eq!(to_json(&e), r#"{"id":"e3","type":"checked_in","zz":2}"#);
}

// ------------------------------------------------------------------- whole

/// The canonical JSON of the object a `Signed` was read from.
#[derive(Debug, PartialEq, Default)]
struct Canonical(String);

impl Whole for Canonical {
    fn whole(v: &Json) -> Self {
        Canonical(to_json(v))
    }
}

#[derive(Debug, PartialEq, Decode, Encode)]
struct Signed {
    name: String,
    #[serde(skip)]
    #[decode(whole)]
    document: Canonical,
}

#[derive(Debug, PartialEq, Decode)]
struct Outer {
    inner: Signed,
}

#[test]
fn a_whole_field_is_computed_from_the_whole_object_and_not_written() {
    let s = read::<Signed>(r#"{"unknown":[true],"name":"n"}"#);
    assert_eq!(s.document, Canonical(r#"{"name":"n","unknown":[true]}"#.into()));
    assert_eq!(to_json(&s), r#"{"name":"n"}"#);
    // Of its own object, when nested.
    let o = read::<Outer>(r#"{"inner":{"name":"m","b":1,"a":2}}"#);
    assert_eq!(o.inner.document, Canonical(r#"{"a":2,"b":1,"name":"m"}"#.into()));
    assert_eq!(problems::<Signed>("{}"), [problem("MISSING_FIELD", "name", "missing field `name`")]);
}

// -------------------------------------------------------- many at a time

#[derive(Debug, PartialEq, Decode)]
#[serde(deny_unknown_fields)]
struct Checkout {
    id: String,
    lines: Vec<Strict>,
    total: i64,
    level: Level,
    reward: Option<Reward>,
}

#[test]
fn every_problem_is_reported_at_once_in_the_documented_order() {
    // The object's own keys first (unknown or repeated), then each field in
    // declaration order, not the input's, each with its own problems in
    // the same order, depth first.
    let text = r#"{
        "total": "9",
        "reward": {"kind": "gift"},
        "pints": 3,
        "level": "bronze",
        "lines": [{"sku": "A", "qty": 1}, {"sku": 2, "qtty": 2}],
        "pints": 4
    }"#;
    assert_eq!(
        problems::<Checkout>(text),
        [
            problem("WRONG_TYPE", "pints", "duplicate field `pints`"),
            problem(
                "UNKNOWN_FIELD",
                "pints",
                "unknown field `pints`, expected one of `id`, `lines`, `total`, `level`, `reward`"
            ),
            problem(
                "UNKNOWN_FIELD",
                "pints",
                "unknown field `pints`, expected one of `id`, `lines`, `total`, `level`, `reward`"
            ),
            problem("MISSING_FIELD", "id", "missing field `id`"),
            problem("UNKNOWN_FIELD", "lines[1].qtty", "unknown field `qtty`, expected one of `sku`, `qty`"),
            problem("WRONG_TYPE", "lines[1].sku", "expected a string, found the number `2`"),
            problem("MISSING_FIELD", "lines[1].qty", "missing field `qty`"),
            problem("WRONG_TYPE", "total", "expected an integer, found the string \"9\""),
            problem(
                "UNKNOWN_VARIANT",
                "level",
                "unknown value `bronze`, expected one of `gold`, `silver_plus`, `v_i_p`"
            ),
            problem("MISSING_FIELD", "reward.z", "missing field `z`"),
        ]
    );
}

// ------------------------------------------------------------------ schema

/// A type's input and answer schema (`siyu::schema`), as canonical JSON.
fn schemas<T: siyu::schema::InputSchema + siyu::schema::AnswerSchema>() -> (String, String) {
    let input = siyu::schema::document("in", T::input_schema);
    let answer = siyu::schema::document("out", T::answer_schema);
    (to_json(&input), to_json(&answer))
}

#[test]
fn the_schema_says_what_decode_accepts_and_encode_writes() {
    // Required unless defaulted; deny_unknown_fields closes the input; an
    // answer is left open (a later version may add members).
    let (input, answer) = schemas::<Strict>();
    let qty = r#""qty":{"maximum":4294967295,"minimum":0,"type":"integer"},"sku":{"type":"string"}"#;
    assert_eq!(
        input,
        format!(
            r##"{{"$defs":{{"Strict":{{"additionalProperties":false,"properties":{{{qty}}},"required":["sku","qty"],"type":"object"}}}},"$ref":"#/$defs/Strict","$schema":"https://json-schema.org/draft/2020-12/schema","title":"in"}}"##
        )
    );
    assert_eq!(
        answer,
        format!(
            r##"{{"$defs":{{"Strict":{{"properties":{{{qty}}},"required":["sku","qty"],"type":"object"}}}},"$ref":"#/$defs/Strict","$schema":"https://json-schema.org/draft/2020-12/schema","title":"out"}}"##
        )
    );
    // Option and defaults: optional as input (`null` accepted for an
    // Option); as an answer, an Option without skip_serializing_if is
    // always written, maybe `null`.
    let (input, answer) = schemas::<Defaults>();
    assert!(!input.contains("\"required\""), "{input}");
    assert!(input.contains(r#""note":{"anyOf":[{"type":"string"},{"type":"null"}]}"#), "{input}");
    assert!(answer.contains(r#""required":["note","count","list","days","tags"]"#), "{answer}");
    // A unit enum is its names; a tagged enum one object per variant, its
    // tag a const.
    assert!(schemas::<Level>().0.contains(r#"{"Level":{"enum":["gold","silver_plus","v_i_p"],"type":"string"}}"#));
    let (input, _) = schemas::<Reward>();
    assert!(input.contains(r#"{"additionalProperties":false,"properties":{"kind":{"const":"nothing"}},"required":["kind"],"type":"object"}"#), "{input}");
    // Flatten: the part's keys count as the parent's; the part denies
    // unknown keys, so the parent's object does (unevaluatedProperties, as
    // additionalProperties would not see the part's keys). A member written
    // only when `Some` is never `null` in the answer.
    let (input, answer) = schemas::<Event>();
    assert!(input.contains(r#""required":["id","zz"],"type":"object","unevaluatedProperties":false}"#), "{input}");
    assert!(input.contains(r#""by":{"anyOf":[{"type":"string"},{"type":"null"}]}"#), "{input}");
    assert!(answer.contains(r#""by":{"type":"string"}"#), "{answer}");
    assert!(!answer.contains("unevaluatedProperties"), "{answer}");
}

#[test]
fn the_schema_describes_money_and_a_type_in_its_own_words() {
    let input = to_json(&siyu::schema::document("in", <Priced as siyu::schema::InputSchema>::input_schema));
    assert!(input.contains(r#""description":"the price list""#), "{input}");
    assert!(
        input.contains(r#""price":{"description":"an integer number of fen (1 yuan = 100 fen)","maximum""#),
        "{input}"
    );
    assert!(!input.contains(r#""count":{"description""#), "{input}");
}
