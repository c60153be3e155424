//! `#[derive(Decode)]`: reads a siyu type from a parsed JSON tree
//! (`siyu::decode::Json`), reporting every problem with its path.
//!
//! Why not serde's `Deserialize`: serde's derive is generic over the
//! deserializer, and each deserializer (JSON text, a `Value`, the buffered
//! `Content` behind internally tagged enums) instantiates every type again.
//! For siyu's schema that was two thirds of a 1 MB `.wasm`. The code this
//! derive writes is plain, non-generic and small: a few calls per field into
//! `siyu::decode`, where the rules of the format live.
//!
//! It reads the same `#[serde(...)]` attributes the types already carry, so
//! `Serialize` (the answers) and `Decode` (the inputs) cannot disagree about
//! a name or a default:
//!
//! - container: `deny_unknown_fields`, `tag = "…"` (internally tagged enums
//!   of struct and unit variants), `rename_all = "snake_case"` (variants);
//! - field: `default`, `default = "path"`, `skip`, `flatten`;
//!   `skip_serializing_if` is for `Serialize` and ignored here.
//!
//! And two of its own: a field marked `#[decode(whole)]` (which must also
//! be `#[serde(skip)]`) is `siyu::decode::Whole::whole` of the struct's
//! whole JSON object, not a member of it (the rules' fingerprint); and
//! `#[decode(expected(en = "the rules object", zh = "规则对象"))]` on a
//! type is how a refusal names it (else "an object" / "对象").
//!
//! Anything else is a compile error rather than a silent difference; so is
//! a field of a platform-sized type (`usize`, `isize`, anywhere in its
//! type), which would read and write differently in the 32-bit `.wasm`.
//!
//! Messages speak the user's words, not Rust's: a field whose type is
//! spelled with `Fen` or `Millis` (the engine's aliases of `i64` for money
//! and instants) is read under that `siyu::decode::Unit`, so that a
//! refused integer there is "an integer number of fen" or "a time in
//! milliseconds", and a type never appears by its Rust name.
//!
//! Each derive also writes the type's JSON Schema from the same fields and
//! attributes: `Decode` an `impl siyu::schema::InputSchema` (what it
//! accepts), `Encode` an `impl siyu::schema::AnswerSchema` (what it
//! writes). Nothing calls them on an operation's path, so they are not in
//! the `.wasm`; `siyu::ops::schema` makes the documents of `docs/schema/`.
//!
//! The code it writes is safe (no `unsafe`) and hygienic: it names
//! everything by its full path from `::core` and `::siyu`, calls the wire's
//! methods as functions of their type (`Decoder::keys(d, …)`, not
//! `d.keys(…)`, which a trait in scope could answer first), and its own
//! locals are `__`-prefixed at `Span::mixed_site()` (see `local`). The
//! tests in `tests/` hold it to that, and to each attribute's meaning.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::quote;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type};

#[proc_macro_derive(Decode, attributes(serde, decode))]
pub fn derive_decode(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

#[derive(Default)]
struct Container {
    deny_unknown: bool,
    tag: Option<String>,
    snake_case: bool,
    /// `#[decode(expected(en = "…", zh = "…"))]`: how messages name the
    /// type's object ("the rules object" / "规则对象"), instead of "an
    /// object" / "对象".
    expected: Option<(String, String)>,
}

enum Missing {
    /// A missing field is a `MISSING_FIELD` problem.
    Required,
    /// `Option<T>`, or `#[serde(default)]`: `Default::default()`.
    Default,
    /// `#[serde(default = "path")]`.
    With(syn::ExprPath),
}

struct Field {
    ident: Ident,
    name: String,
    ty: Type,
    missing: Missing,
    skip: bool,
    /// `#[decode(whole)]`: computed from the whole object (`siyu::decode::Whole`).
    whole: bool,
    flatten: bool,
    /// `#[serde(skip_serializing_if = "path")]`
    skip_if: Option<syn::ExprPath>,
    /// Read as its value, not an `Option` (see `plain`).
    plain: bool,
    /// `Fen` or `Millis` when the type is spelled with one (`Fen`,
    /// `Option<Fen>`, `Vec<Millis>`): the engine's money (`src/money.rs`)
    /// and instants (`src/time.rs`), aliases of `i64` that only their
    /// spelling tells apart (`siyu::decode::Unit`).
    unit: Option<Ident>,
}

/// The container's attributes. `derive` ("Decode" or "Encode") names the
/// derive in errors: a type deriving both gets one of each.
fn container(attrs: &[syn::Attribute], derive: &str) -> syn::Result<Container> {
    let mut c = Container::default();
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        a.parse_nested_meta(|m| {
            if m.path.is_ident("deny_unknown_fields") {
                c.deny_unknown = true;
            } else if m.path.is_ident("tag") {
                c.tag = Some(m.value()?.parse::<LitStr>()?.value());
            } else if m.path.is_ident("rename_all") {
                let v = m.value()?.parse::<LitStr>()?.value();
                if v != "snake_case" {
                    return Err(m.error(format!("{derive} supports rename_all = \"snake_case\" only")));
                }
                c.snake_case = true;
            } else {
                return Err(m.error(format!("serde attribute not supported by {derive}")));
            }
            Ok(())
        })?;
    }
    for a in attrs.iter().filter(|a| a.path().is_ident("decode")) {
        a.parse_nested_meta(|m| {
            if !m.path.is_ident("expected") {
                return Err(m.error("decode attribute not supported on a type (only `expected`)"));
            }
            let (mut en, mut zh) = (None, None);
            m.parse_nested_meta(|n| {
                let text = Some(n.value()?.parse::<LitStr>()?.value());
                if n.path.is_ident("en") {
                    en = text;
                } else if n.path.is_ident("zh") {
                    zh = text;
                } else {
                    return Err(n.error("expected(…) takes `en` and `zh`"));
                }
                Ok(())
            })?;
            match (en, zh) {
                (Some(en), Some(zh)) => c.expected = Some((en, zh)),
                _ => return Err(m.error("expected(…) needs both `en` and `zh`")),
            }
            Ok(())
        })?;
    }
    Ok(c)
}

/// How messages name the container's object: its `expected(…)`, or "an
/// object".
fn expected_object(c: &Container) -> Tokens {
    match &c.expected {
        Some((en, zh)) => quote! { &::siyu::decode::Expected { en: #en, zh: #zh } },
        None => quote! { &::siyu::decode::Expected::OBJECT },
    }
}

/// The unit `ty` is spelled with, if any (see `Field::unit`): the
/// `siyu::decode::Unit` variant of the same name.
fn unit_of(ty: &Type) -> Option<Ident> {
    fn find(tokens: Tokens) -> Option<Ident> {
        tokens.into_iter().find_map(|t| match t {
            proc_macro2::TokenTree::Ident(i) if i == "Fen" || i == "Millis" => {
                Some(Ident::new(&i.to_string(), Span::call_site()))
            }
            proc_macro2::TokenTree::Group(g) => find(g.stream()),
            _ => None,
        })
    }
    find(quote!(#ty))
}

fn fields(fields: &Fields, derive: &str) -> syn::Result<Vec<Field>> {
    let Fields::Named(named) = fields else {
        return if matches!(fields, Fields::Unit) {
            Ok(Vec::new())
        } else {
            Err(syn::Error::new_spanned(fields, format!("{derive} supports named fields only")))
        };
    };
    let mut out = Vec::new();
    for f in &named.named {
        let ident = f.ident.clone().expect("named field");
        let name = ident.to_string().trim_start_matches("r#").to_string();
        let mut missing = if is_option(&f.ty) { Missing::Default } else { Missing::Required };
        let (mut skip, mut flatten, mut skip_if) = (false, false, None);
        for a in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            a.parse_nested_meta(|m| {
                if m.path.is_ident("default") {
                    missing = if m.input.peek(syn::Token![=]) {
                        Missing::With(m.value()?.parse::<LitStr>()?.parse()?)
                    } else {
                        Missing::Default
                    };
                } else if m.path.is_ident("skip") {
                    skip = true;
                } else if m.path.is_ident("flatten") {
                    flatten = true;
                } else if m.path.is_ident("skip_serializing_if") {
                    skip_if = Some(m.value()?.parse::<LitStr>()?.parse()?);
                } else {
                    return Err(m.error(format!("serde attribute not supported by {derive}")));
                }
                Ok(())
            })?;
        }
        let mut whole = false;
        for a in f.attrs.iter().filter(|a| a.path().is_ident("decode")) {
            a.parse_nested_meta(|m| {
                if m.path.is_ident("whole") {
                    whole = true;
                    Ok(())
                } else {
                    Err(m.error("decode attribute not supported (only `whole`)"))
                }
            })?;
        }
        if whole && !skip {
            return Err(syn::Error::new_spanned(&ident, "#[decode(whole)] is no member: mark it #[serde(skip)] too"));
        }
        if !skip {
            let ty = &f.ty;
            if let Some(word) = platform_sized(quote!(#ty)) {
                return Err(syn::Error::new_spanned(
                    &f.ty,
                    format!(
                        "{derive}: `{word}` is platform-sized (32 bits in the .wasm, 64 natively), so the same \
                         number would read differently per target: use a fixed width (u32, u64, i64)"
                    ),
                ));
            }
        }
        let unit = unit_of(&f.ty);
        let plain = !skip && !flatten && !matches!(missing, Missing::With(_)) && plain(&f.ty);
        out.push(Field { ident, name, ty: f.ty.clone(), missing, skip, whole, flatten, skip_if, unit, plain });
    }
    Ok(out)
}

/// The first `usize` or `isize` spelled anywhere in a field's type
/// (`Option<usize>`, `Vec<(String, isize)>`, …). The wire has no impls for
/// them either; this says why, at the field.
fn platform_sized(ty: Tokens) -> Option<&'static str> {
    ty.into_iter().find_map(|t| match t {
        proc_macro2::TokenTree::Ident(i) if i == "usize" => Some("usize"),
        proc_macro2::TokenTree::Ident(i) if i == "isize" => Some("isize"),
        proc_macro2::TokenTree::Group(g) => platform_sized(g.stream()),
        _ => None,
    })
}

/// Whether a field's type is one of the standard ones (and the engine's
/// `Fen` and `Millis`, aliases of `i64`) that have a `Default`: such a
/// field is read as its value by `siyu::decode::Object::value`, which puts
/// the default in its place when it had a problem (see `construct`). By
/// its spelling, as the derive sees no more: a type of the same name
/// without a `Default` is a compile error, not a silent difference.
fn plain(ty: &Type) -> bool {
    const PLAIN: [&str; 18] = [
        "Option",
        "Vec",
        "String",
        "bool",
        "i64",
        "i32",
        "u64",
        "u32",
        "u16",
        "u8",
        "Fen",
        "Millis",
        "SortedMap",
        "SortedSet",
        "IdMap",
        "IdSet",
        "BTreeMap",
        "BTreeSet",
    ];
    matches!(ty, Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| PLAIN.iter().any(|n| s.ident == n)))
}

/// serde's own rule: a field whose type is spelled `Option<…>` may be absent.
fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// An identifier of the generated code's own (a parameter, a local), as
/// `__name`. At `Span::mixed_site()`, as in `macro_rules!`, so that it
/// neither captures nor is captured by a name of the user's: a
/// `#[serde(default = "d")]` function `d`, a field named `o`. And with the
/// two underscores because a local's name is still looked up among the
/// items in scope (a unit struct or constant `v` would make `let v` a
/// pattern matching it), and no item is named like that.
fn local(name: &str) -> Ident {
    Ident::new(&format!("__{name}"), Span::mixed_site())
}

/// The local a field is read into, or bound to when a variant is matched.
/// Prefixed, so that no field's local is one of the generated code's own
/// (`__o`, `__v`, `__w`, …), which share its hygiene.
fn field_local(f: &Field) -> Ident {
    local(&format!("field_{}", f.name))
}

/// The keys an object may hold for `fields` (besides a tag), and the
/// statements that read each field into its `field_local`.
/// `o` is the `siyu::decode::Object` the object's keys were checked into;
/// `first` is the index in its keys of the first field's (1 after a tag);
/// `at`, the struct's or variant's name, is where an error points.
fn read_fields(fields: &[Field], o: &Ident, v: &Ident, first: usize, at: &Ident) -> syn::Result<(Vec<String>, Tokens)> {
    let keys: Vec<String> = fields.iter().filter(|f| !f.skip && !f.flatten).map(|f| f.name.clone()).collect();
    // `siyu::decode::MAX_FIELDS`: the keys one pass over an object matches.
    let n = first + keys.len();
    if n > 40 {
        let message = format!("Decode reads at most 40 keys of an object (siyu::decode::MAX_FIELDS), not {n}");
        return Err(syn::Error::new_spanned(at, message));
    }
    let mut body = Tokens::new();
    let mut index = first;
    for f in fields {
        let (local, ty) = (field_local(f), &f.ty);
        // A skipped field (a `whole` one too) is its value, and so is a
        // `plain` one (its default when it had a problem); any other is an
        // `Option`, `None` when a problem was recorded.
        let read = if f.whole {
            quote! { <#ty as ::siyu::decode::Whole>::whole(#v) }
        } else if f.skip {
            quote! { <#ty as ::core::default::Default>::default() }
        } else if f.flatten {
            quote! { ::siyu::decode::Decoder::flattened::<#ty>(#o.d, #v, &[#(#keys),*]) }
        } else {
            let i = index;
            index += 1;
            let required = matches!(f.missing, Missing::Required);
            match &f.missing {
                _ if f.plain => match &f.unit {
                    Some(unit) => quote! {
                        ::siyu::decode::Object::value_in::<#ty>(&mut #o, #i, #required, ::siyu::decode::Unit::#unit)
                    },
                    None => quote! { ::siyu::decode::Object::value::<#ty>(&mut #o, #i, #required) },
                },
                Missing::Required => {
                    quote! { ::siyu::decode::Object::field::<#ty>(&mut #o, #i, ::core::option::Option::None) }
                }
                Missing::Default => quote! { ::siyu::decode::Object::field_or_default::<#ty>(&mut #o, #i) },
                Missing::With(path) => {
                    quote! { ::siyu::decode::Object::field::<#ty>(&mut #o, #i, ::core::option::Option::Some(#path)) }
                }
            }
        };
        let read = match &f.unit {
            Some(unit) if !f.skip && !f.plain => quote! {{
                ::siyu::decode::Object::unit(&mut #o, ::siyu::decode::Unit::#unit);
                let #local = #read;
                ::siyu::decode::Object::unit(&mut #o, ::siyu::decode::Unit::Plain);
                #local
            }},
            _ => read,
        };
        body.extend(quote! { let #local = #read; });
    }
    Ok((keys, body))
}

/// The value, if every field was read. Every field is read first (into its
/// `field_local`), so that one pass reports every problem; then one test
/// (with `&`, not `&&`: one branch, not one per field) that the `plain`
/// fields had no problem (`Object::ok`, `o`'s flag) and that each other
/// field is `Some`, under which each of those is taken out of its `Option`
/// by a match whose `None` arm the compiler removes, knowing it cannot be
/// taken. When every field is `plain` or skipped, the value is built
/// first and then tested: a failed read drops it whole, with its type's
/// one drop, not field by field.
///
/// `plain` fields, read as their values with a placeholder default, need
/// no test, unwrapping or drop of their own: 2.3 KB less gzip for the
/// engine's ~150 types than every field an `Option`. For the others, the
/// `Option` and its test are the smallest safe form measured: 0.85 KB
/// more gzip than the `unsafe` `unwrap_unchecked` they replaced (a flag
/// in memory would not let LLVM remove the `None` arms; the `&` of the
/// `is_some` tests does). Not `?` on each field: each early return drops
/// the values taken so far and the ones still to take, a different set at
/// each field (3.1 KB more). Nor one `match` of a tuple of them all: the
/// tuple is a copy of every field (2.1 KB more).
fn construct(path: Tokens, fields: &[Field], o: &Ident) -> Tokens {
    let value = local("value");
    let mut tests: Vec<Tokens> = fields
        .iter()
        .filter(|f| !f.skip && !f.plain)
        .map(field_local)
        .map(|l| quote! { ::core::option::Option::is_some(&#l) })
        .collect();
    if fields.iter().any(|f| f.plain) {
        tests.insert(0, quote! { ::siyu::decode::Object::ok(&#o) });
    }
    let values = fields.iter().map(|f| {
        let (ident, local) = (&f.ident, field_local(f));
        if f.skip || f.plain {
            quote! { #ident: #local }
        } else {
            quote! {
                #ident: match #local {
                    ::core::option::Option::Some(#value) => #value,
                    ::core::option::Option::None => ::core::unreachable!(),
                }
            }
        }
    });
    let built = quote! { ::core::option::Option::Some(#path { #(#values),* }) };
    if let [ok] = tests.as_slice() {
        if fields.iter().all(|f| f.skip || f.plain) {
            return quote! {{
                let #value = #built;
                if #ok { #value } else { ::core::option::Option::None }
            }};
        }
    }
    let Some((first, rest)) = tests.split_first() else { return built };
    quote! {
        if #first #(& #rest)* {
            #built
        } else {
            ::core::option::Option::None
        }
    }
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "Decode does not support generics"));
    }
    let c = container(&input.attrs, "Decode")?;
    let ty = &input.ident;
    let (v, d, obj, o) = (local("v"), local("d"), local("obj"), local("o"));
    let body = match &input.data {
        Data::Struct(s) => {
            if c.tag.is_some() {
                return Err(syn::Error::new_spanned(ty, "tag is for enums"));
            }
            let fields = fields(&s.fields, "Decode")?;
            let (keys, reads) = read_fields(&fields, &o, &v, 0, ty)?;
            let deny = c.deny_unknown;
            let expected = expected_object(&c);
            let build = construct(quote!(#ty), &fields, &o);
            quote! {
                let #obj = ::siyu::decode::Decoder::object(#d, #v, #expected)?;
                let mut #o = ::siyu::decode::Decoder::keys(#d, #obj, &[#(#keys),*], #deny);
                #reads
                #build
            }
        }
        Data::Enum(e) => {
            let names: Vec<String> = e
                .variants
                .iter()
                .map(|var| if c.snake_case { snake(&var.ident.to_string()) } else { var.ident.to_string() })
                .collect();
            let expected = expected_object(&c);
            match &c.tag {
                // Unit variants only: a string.
                None => {
                    let mut arms = Tokens::new();
                    for (i, var) in e.variants.iter().enumerate() {
                        if !matches!(var.fields, Fields::Unit) {
                            return Err(syn::Error::new_spanned(
                                var,
                                "untagged data variants are not supported by Decode",
                            ));
                        }
                        let id = &var.ident;
                        arms.extend(quote! { #i => ::core::option::Option::Some(#ty::#id), });
                    }
                    let _ = expected;
                    quote! {
                        match ::siyu::decode::Decoder::word(#d, #v, &[#(#names),*])? {
                            #arms
                            _ => ::core::option::Option::None,
                        }
                    }
                }
                Some(tag) => {
                    let mut arms = Tokens::new();
                    for (i, var) in e.variants.iter().enumerate() {
                        let fields = fields(&var.fields, "Decode")?;
                        let (mut keys, reads) = read_fields(&fields, &o, &v, 1, &var.ident)?;
                        keys.insert(0, tag.clone());
                        let deny = c.deny_unknown;
                        let id = &var.ident;
                        let build = construct(quote!(#ty::#id), &fields, &o);
                        arms.extend(quote! {
                            #i => {
                                let mut #o = ::siyu::decode::Decoder::keys(#d, #obj, &[#(#keys),*], #deny);
                                #reads
                                #build
                            }
                        });
                    }
                    quote! {
                        let #obj = ::siyu::decode::Decoder::object(#d, #v, #expected)?;
                        match ::siyu::decode::Decoder::tag(#d, #obj, #tag, &[#(#names),*])? {
                            #arms
                            _ => ::core::option::Option::None,
                        }
                    }
                }
            }
        }
        Data::Union(_) => return Err(syn::Error::new_spanned(ty, "Decode does not support unions")),
    };
    let schema = expand_schema(input, &c, Side::Input)?;
    Ok(quote! {
        #schema
        impl ::siyu::decode::Decode for #ty {
            #[allow(unused_variables, unused_mut)]
            fn decode<'v>(#v: &'v ::siyu::decode::Json<'v>, #d: &mut ::siyu::decode::Decoder<'v>) -> ::core::option::Option<Self> {
                #body
            }
        }
    })
}

// ------------------------------------------------------------ the schemas

/// Which derive a schema is written for: what `Decode` accepts or what
/// `Encode` writes (`siyu::schema`).
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Input,
    Answer,
}

impl Side {
    fn trait_path(self) -> Tokens {
        match self {
            Side::Input => quote!(::siyu::schema::InputSchema),
            Side::Answer => quote!(::siyu::schema::AnswerSchema),
        }
    }
}

/// The expression of the schema of an object of `fields` (and `tag`, an
/// enum's tag and this variant's name). `closed`: no other keys.
/// `closed_by_parts`: also when a flattened part is closed (an input's
/// named schema).
fn schema_object(
    fields: &[Field],
    side: Side,
    closed: bool,
    closed_by_parts: bool,
    tag: Option<(&str, &str)>,
) -> Tokens {
    let defs = local("defs");
    let mut props = Vec::new();
    let mut required = Vec::new();
    if let Some((tag, name)) = tag {
        props.push(quote! { (::std::string::String::from(#tag), ::siyu::schema::tag(#name)) });
        required.push(tag.to_string());
    }
    let mut flat = Vec::new();
    // The decoder refuses a key unknown to the parent and to its flattened
    // part when either denies unknown keys (the part is read last, with
    // the parent's keys as known): so does the schema.
    let mut closed = quote!(#closed);
    for f in fields.iter().filter(|f| !f.skip) {
        let ty = &f.ty;
        if f.flatten && closed_by_parts {
            closed = quote! { #closed || <#ty as ::siyu::schema::InputSchema>::denies_unknown() };
        }
        if f.flatten {
            flat.push(match side {
                Side::Input => quote! { <#ty as ::siyu::schema::InputSchema>::input_schema_open(#defs) },
                Side::Answer => quote! { <#ty as ::siyu::schema::AnswerSchema>::answer_schema_open(#defs) },
            });
            continue;
        }
        let unit = f.unit.clone().unwrap_or_else(|| Ident::new("Plain", Span::call_site()));
        let unit = quote! { ::siyu::decode::Unit::#unit };
        let name = &f.name;
        let schema = match side {
            Side::Input => quote! { ::siyu::schema::field_in::<#ty>(#defs, #unit) },
            Side::Answer => {
                let s = quote! { ::siyu::schema::field_out::<#ty>(#defs, #unit) };
                // Written only when `Some`: never `null`.
                match &f.skip_if {
                    Some(path) if is_none_test(path) => quote! { ::siyu::schema::Value::without_null(#s) },
                    _ => s,
                }
            }
        };
        props.push(quote! { (::std::string::String::from(#name), #schema) });
        let needed = match side {
            Side::Input => matches!(f.missing, Missing::Required),
            Side::Answer => f.skip_if.is_none(),
        };
        if needed {
            required.push(f.name.clone());
        }
    }
    quote! {
        ::siyu::schema::object(
            ::std::vec::Vec::from([#(#props),*]),
            ::std::vec::Vec::from([#(#required),*]),
            #closed,
            ::std::vec::Vec::from([#(#flat),*]),
        )
    }
}

/// The schema expression of the type: `closed` as its container says (the
/// named one, under `$defs`), or open (for a parent that flattens it).
fn schema_body(input: &DeriveInput, c: &Container, side: Side, open: bool) -> syn::Result<Tokens> {
    // An input refuses unknown keys only with `deny_unknown_fields`; an
    // answer's schema is left open on purpose, so that code generated from
    // it still reads the answers of a later version that adds a member.
    let closed = !open && side == Side::Input && c.deny_unknown;
    let derive = if side == Side::Input { "Decode" } else { "Encode" };
    Ok(match &input.data {
        Data::Struct(s) => schema_object(&fields(&s.fields, derive)?, side, closed, !open && side == Side::Input, None),
        Data::Enum(e) => {
            let names: Vec<String> = e
                .variants
                .iter()
                .map(|var| if c.snake_case { snake(&var.ident.to_string()) } else { var.ident.to_string() })
                .collect();
            match &c.tag {
                None => quote! { ::siyu::schema::one_of(&[#(#names),*]) },
                Some(tag) => {
                    let mut variants = Vec::new();
                    for (var, name) in e.variants.iter().zip(&names) {
                        let fields = fields(&var.fields, derive)?;
                        variants.push(schema_object(
                            &fields,
                            side,
                            closed,
                            !open && side == Side::Input,
                            Some((tag, name)),
                        ));
                    }
                    quote! { ::siyu::schema::tagged(::std::vec::Vec::from([#(#variants),*])) }
                }
            }
        }
        Data::Union(_) => quote! { ::siyu::schema::Value::obj([]) },
    })
}

/// `impl InputSchema` (or `AnswerSchema`) for the derive's type: its schema
/// under `$defs` by the type's name, referred to by `$ref`.
fn expand_schema(input: &DeriveInput, c: &Container, side: Side) -> syn::Result<Tokens> {
    let (ty, name) = (&input.ident, input.ident.to_string());
    let (defs, found, schema) = (local("defs"), local("found"), local("schema"));
    let mut closed = schema_body(input, c, side, false)?;
    if let Some((en, zh)) = &c.expected {
        closed = quote! { ::siyu::schema::Value::described(#closed, &::siyu::decode::Expected { en: #en, zh: #zh }) };
    }
    let open = schema_body(input, c, side, true)?;
    let trait_path = side.trait_path();
    let deny = c.deny_unknown;
    let denies = match side {
        Side::Input => quote! { fn denies_unknown() -> bool { #deny } },
        Side::Answer => Tokens::new(),
    };
    let (named, open_fn) = match side {
        Side::Input => (quote!(input_schema), quote!(input_schema_open)),
        Side::Answer => (quote!(answer_schema), quote!(answer_schema_open)),
    };
    Ok(quote! {
        impl #trait_path for #ty {
            fn #named(#defs: &mut ::siyu::schema::Defs) -> ::siyu::schema::Value {
                let #found = ::siyu::schema::Defs::seen(#defs, ::core::any::type_name::<Self>(), #name);
                if let ::core::option::Option::Some(#found) = #found {
                    return #found;
                }
                let #schema = #closed;
                ::siyu::schema::Defs::define(#defs, ::core::any::type_name::<Self>(), #schema)
            }
            fn #open_fn(#defs: &mut ::siyu::schema::Defs) -> ::siyu::schema::Value {
                #open
            }
            #denies
        }
    })
}

/// `#[derive(Encode)]`: writes a type as canonical JSON through
/// `siyu::encode::Writer`. Field names are sorted here, at compile time, so
/// an object comes out in canonical key order without sorting at run time:
/// the writer of a type is one `Writer::key` (the key, written out here
/// with its quotes and colon) and one call of the field's own writer per
/// field, in key order.
///
/// Reads `skip`, `skip_serializing_if`, `flatten` (one flattened field of
/// a struct, whose type must be an internally tagged enum or a struct),
/// `tag` and `rename_all = "snake_case"`; the decoding attributes are
/// ignored.
#[proc_macro_derive(Encode, attributes(serde))]
pub fn derive_encode(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    match expand_encode(&input) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// A member's key as `Writer::key` takes it: `,"name":` (nothing in a
/// field name to escape).
fn key(name: &str) -> String {
    format!(",\"{name}\":")
}

/// Whether a `skip_serializing_if` is `Option::is_none`: such an `Option`
/// is written as its value when `Some`, so `Option<T>`'s writer (a copy
/// per `T`) is not needed.
fn is_none_test(path: &syn::ExprPath) -> bool {
    quote!(#path).to_string().replace(' ', "") == "Option::is_none"
}

/// The members of `fields`, sorted by key, each as (key, value expression,
/// how it may be skipped).
fn sorted(fields: &[Field], access: impl Fn(&Field) -> Tokens) -> Vec<(String, Tokens, Option<&syn::ExprPath>)> {
    let mut entries: Vec<(String, Tokens, Option<&syn::ExprPath>)> = fields
        .iter()
        .filter(|f| !f.skip && !f.flatten)
        .map(|f| (f.name.clone(), access(f), f.skip_if.as_ref()))
        .collect();
    // Canonical order: by the keys' bytes.
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    entries
}

/// The statements that write an object's members: the enum's tag member
/// if any, then each field in key order. `w` is `encode`'s parameter.
fn write_members(fields: &[Field], tag: Option<(&str, &str)>, access: impl Fn(&Field) -> Tokens) -> Tokens {
    let (w, v) = (local("w"), local("v"));
    let mut entries = sorted(fields, access);
    if let Some((name, value)) = tag {
        entries.push((name.to_string(), quote! { #value }, None));
        entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    }
    let mut body = Tokens::new();
    for (name, value, skip_if) in entries {
        let k = key(&name);
        let write =
            |value: Tokens| quote! { ::siyu::encode::Writer::key(#w, #k); ::siyu::encode::Encode::encode(#value, #w); };
        body.extend(match skip_if {
            Some(path) if is_none_test(path) => {
                let write = write(quote!(#v));
                quote! { if let ::core::option::Option::Some(#v) = #value { #write } }
            }
            Some(path) => {
                let write = write(quote!(#value));
                quote! { if !#path(#value) { #write } }
            }
            None => write(value),
        });
    }
    quote! {
        ::siyu::encode::Writer::open(#w);
        #body
        ::siyu::encode::Writer::close(#w);
    }
}

/// A flattening parent's own members as `siyu::encode::Members`, for
/// `Writer::flattened` to merge with its flattened field's.
fn members(fields: &[Field], access: impl Fn(&Field) -> Tokens) -> Tokens {
    let entries = sorted(fields, access);
    let v = local("v");
    let keys = entries.iter().map(|(k, _, _)| key(k));
    let values = entries.iter().map(|(_, value, skip_if)| {
        let some = quote! { ::core::option::Option::Some(#value as &dyn ::siyu::encode::Encode) };
        match skip_if {
            Some(path) if is_none_test(path) => quote! {
                match #value {
                    ::core::option::Option::Some(#v) => ::core::option::Option::Some(#v as &dyn ::siyu::encode::Encode),
                    ::core::option::Option::None => ::core::option::Option::None,
                }
            },
            Some(path) => quote! { if #path(#value) { ::core::option::Option::None } else { #some } },
            None => some,
        }
    });
    quote! { ::siyu::encode::Members { keys: &[#(#keys),*], values: &[#(#values),*] } }
}

fn expand_encode(input: &DeriveInput) -> syn::Result<Tokens> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "Encode does not support generics"));
    }
    let c = container(&input.attrs, "Encode")?;
    let ty = &input.ident;
    let w = local("w");
    let body = match &input.data {
        Data::Struct(s) => {
            if c.tag.is_some() {
                return Err(syn::Error::new_spanned(ty, "tag is for enums"));
            }
            let fields = fields(&s.fields, "Encode")?;
            let access = |f: &Field| {
                let id = &f.ident;
                quote! { &self.#id }
            };
            let flat: Vec<&Field> = fields.iter().filter(|f| f.flatten).collect();
            match flat.as_slice() {
                [] => write_members(&fields, None, access),
                [f] => {
                    let id = &f.ident;
                    let own = members(&fields, access);
                    quote! { ::siyu::encode::Writer::flattened(#w, &self.#id, #own); }
                }
                _ => return Err(syn::Error::new_spanned(ty, "Encode supports one flattened field")),
            }
        }
        Data::Enum(e) => {
            let mut arms = Tokens::new();
            for var in &e.variants {
                let id = &var.ident;
                let name = if c.snake_case { snake(&id.to_string()) } else { id.to_string() };
                match &c.tag {
                    None => {
                        if !matches!(var.fields, Fields::Unit) {
                            return Err(syn::Error::new_spanned(
                                var,
                                "untagged data variants are not supported by Encode",
                            ));
                        }
                        // A variant name needs no escapes: written as is, not scanned.
                        let quoted = format!("\"{name}\"");
                        arms.extend(quote! { #ty::#id => ::siyu::encode::Writer::raw(#w, #quoted), });
                    }
                    Some(tag) => {
                        let fields = fields(&var.fields, "Encode")?;
                        if let Some(f) = fields.iter().find(|f| f.flatten) {
                            return Err(syn::Error::new_spanned(
                                &f.ident,
                                "Encode flattens a struct's field only, not a variant's",
                            ));
                        }
                        // The members written, each bound to its
                        // `field_local`; the skipped ones are left to `..`.
                        let bind = fields.iter().filter(|f| !f.skip).map(|f| {
                            let (ident, local) = (&f.ident, field_local(f));
                            quote! { #ident: #local }
                        });
                        let own = write_members(&fields, Some((tag, &name)), |f| {
                            let local = field_local(f);
                            quote! { #local }
                        });
                        arms.extend(quote! { #ty::#id { #(#bind,)* .. } => { #own } });
                    }
                }
            }
            quote! { match self { #arms } }
        }
        Data::Union(_) => return Err(syn::Error::new_spanned(ty, "Encode does not support unions")),
    };
    let schema = expand_schema(input, &c, Side::Answer)?;
    Ok(quote! {
        #schema
        impl ::siyu::encode::Encode for #ty {
            fn encode(&self, #w: &mut ::siyu::encode::Writer) {
                #body
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::TokenTree;

    /// Whether `tokens` hold the keyword `unsafe`, at any depth.
    fn has_unsafe(tokens: Tokens) -> bool {
        tokens.into_iter().any(|t| match t {
            TokenTree::Ident(i) => i == "unsafe",
            TokenTree::Group(g) => has_unsafe(g.stream()),
            _ => false,
        })
    }

    /// No `unsafe` in anything either derive writes. Checked here, on the
    /// expansions: `#![forbid(unsafe_code)]` in the crate that derives
    /// (the engine's) would not see it, as rustc does not lint code that a
    /// macro of another crate wrote.
    #[test]
    fn writes_no_unsafe() {
        let inputs: [DeriveInput; 4] = [
            syn::parse_quote! {
                #[serde(deny_unknown_fields)]
                struct S {
                    a: i64,
                    b: Option<i64>,
                    #[serde(default)]
                    c: u8,
                    #[serde(default = "f", skip_serializing_if = "g")]
                    d: u8,
                    #[serde(skip)]
                    e: u8,
                    #[serde(skip)]
                    #[decode(whole)]
                    w: W,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    n: Option<u8>,
                    #[serde(flatten)]
                    p: P,
                }
            },
            syn::parse_quote! {
                struct T {
                    a: i64,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    n: Option<u8>,
                }
            },
            syn::parse_quote! {
                #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
                enum E {
                    A { a: i64, #[serde(skip_serializing_if = "Option::is_none")] n: Option<u8>, #[serde(skip)] s: u8 },
                    B {},
                    C,
                }
            },
            syn::parse_quote! {
                #[serde(rename_all = "snake_case")]
                enum U { A, BeeCee }
            },
        ];
        for input in &inputs {
            let ty = &input.ident;
            let decode = expand(input).unwrap();
            assert!(!has_unsafe(decode.clone()), "Decode of {ty}: {decode}");
            let encode = expand_encode(input).unwrap();
            assert!(!has_unsafe(encode.clone()), "Encode of {ty}: {encode}");
        }
        // And the check sees an `unsafe` where there is one.
        assert!(has_unsafe(quote! { fn f() { let x = { unsafe { g() } }; } }));
    }
}
