//! Property tests (proptest) of what people and files type into the desk: days, categories,
//! phones, e-mails, dates, capacities and seat allocations are parsed without a panic and
//! refused with an error that names the field; folding for search is stable; the importer
//! survives any file; and a roster exported to CSV or XLSX reads back unchanged.
//!
//! Two safety belts keep a bug from taking the machine down with the test (DESIGN.md, "Bound
//! before you allocate"): this test binary refuses any single allocation above
//! [`ALLOCATION_CAP`] (the process aborts instead of eating the memory), and the properties
//! that feed numbers or day ranges to the core run each case in a forked child
//! (`fork: true`), so such an abort fails that one property, with its smallest input, and not
//! the whole file. Failing cases are not persisted to files (`failure_persistence: None`):
//! proptest prints the minimal input instead.

mod common;

use calamine::{Data, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use delegate_desk::export::{columns, csv_bytes, escape_cell, unescape_cell, xlsx_bytes, Column};
use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::model::{self, CAPACITY_RANGE};
use delegate_desk::text::{self, TextRule};
use delegate_desk::{Attendee, AttendeeFields, AttendeeInput, Category, Desk, Error, ListFilter, Status};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::test_runner::TestCaseError;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Safety belt: no single allocation above the cap.
// ---------------------------------------------------------------------------------------------

/// The largest single allocation this test binary makes. Nothing a property does needs more
/// than a few megabytes; a day range such as `1-4294967295` once asked for 16 GiB.
const ALLOCATION_CAP: usize = 64 << 20;

/// The system allocator, refusing (null, so the process aborts) any allocation above the cap.
struct CappedAllocator;

// SAFETY: every call is forwarded to the system allocator unchanged, except that allocations
// above the cap return null, which the `GlobalAlloc` contract allows.
unsafe impl GlobalAlloc for CappedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ALLOCATION_CAP {
            return std::ptr::null_mut();
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ALLOCATION_CAP {
            return std::ptr::null_mut();
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from the system allocator with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > ALLOCATION_CAP {
            return std::ptr::null_mut();
        }
        // SAFETY: `ptr` came from the system allocator with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CappedAllocator = CappedAllocator;

// ---------------------------------------------------------------------------------------------
// Shared helpers.
// ---------------------------------------------------------------------------------------------

/// A proptest configuration with `cases` cases (times `DD_PROPERTY_SCALE`, 1 unless set: the
/// long variant, `scripts/test-long.sh`, runs 20 times as many), no regression files, and each
/// case in a forked child if `fork`.
fn config(cases: u32, fork: bool) -> ProptestConfig {
    let scale =
        std::env::var("DD_PROPERTY_SCALE").ok().and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1);
    ProptestConfig {
        cases: cases.saturating_mul(scale),
        failure_persistence: None,
        fork,
        ..ProptestConfig::default()
    }
}

/// A desk on a fresh temporary database (the demo event: 2 days, capacity 100).
fn fresh_desk() -> (Desk, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = Desk::open(&common::new_db(dir.path())).expect("open desk");
    (desk, dir)
}

thread_local! {
    /// One desk per test thread, for the properties that only read (import previews).
    static SHARED_DESK: RefCell<Option<(Desk, TempDir)>> = const { RefCell::new(None) };
}

/// Run `f` with this thread's shared desk, opening it on first use.
fn with_shared_desk<R>(f: impl FnOnce(&Desk) -> R) -> R {
    SHARED_DESK.with(|cell| {
        let mut slot = cell.borrow_mut();
        let (desk, _dir) = slot.get_or_insert_with(fresh_desk);
        f(desk)
    })
}

/// `e` is a validation error on `field` with a message.
fn check_validation(e: &Error, field: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.kind(), "validation", "{:?}", e);
    prop_assert_eq!(e.field(), Some(field), "{:?}", e);
    prop_assert!(!e.to_string().trim().is_empty(), "empty message: {:?}", e);
    Ok(())
}

/// Strings from `choices`.
fn one_of(choices: &'static [&'static str]) -> impl Strategy<Value = String> {
    select(choices).prop_map(str::to_string)
}

/// Decimal numbers as people and files write them: small, u32, u64, beyond u64, with leading
/// zeros, and digit strings of up to 60 digits.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0u32..=40).prop_map(|n| n.to_string()),
        2 => any::<u32>().prop_map(|n| n.to_string()),
        2 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<u128>().prop_map(|n| n.to_string()),
        1 => one_of(&[
            "4294967295",
            "4294967296",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999999999999",
        ]),
        1 => "0{1,30}[0-9]{1,3}",
        1 => "[0-9]{1,60}",
    ]
}

// ---------------------------------------------------------------------------------------------
// 1. Days.
// ---------------------------------------------------------------------------------------------

/// Pieces of a days value: numbers, separators, words, and any character.
fn days_token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => number_text(),
        3 => one_of(&[
            ",", ";", "&", "+", "/", " ", "-", "–", " - ", "day", "Day ", "days", "DAYS ", "and", " and ",
            "both", "all", "all days", "both days",
        ]),
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Days values: token soups, ranges `a-b` with any numbers, and arbitrary text.
fn days_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(days_token(), 0..8).prop_map(|t| t.concat()),
        4 => (
            one_of(&["", "Day ", "days ", "day"]),
            number_text(),
            one_of(&["-", "–", " - ", "-day "]),
            number_text(),
        )
            .prop_map(|(lead, a, dash, b)| format!("{lead}{a}{dash}{b}")),
        1 => (number_text(), number_text(), number_text())
            .prop_map(|(a, b, c)| format!("{a},{b}-{c}")),
        1 => "[0-9,;&+/ \\-–daysbothl]{0,24}",
        1 => any::<String>(),
    ]
}

/// A day set written as people write it: the set, its day count, and the text.
fn days_written() -> impl Strategy<Value = (u32, Vec<u32>, String)> {
    // Any subset of any event's days, and often every day of a month-long event.
    let sets = prop_oneof![1u32..=31, Just(31)].prop_flat_map(|n| {
        let all: Vec<u32> = (1..=n).collect();
        (Just(n), prop_oneof![subsequence(all.clone(), 1..=n as usize), Just(all)])
    });
    let style = (
        one_of(&["", "Day ", "Days ", "day", "DAYS "]),
        one_of(&["", "Day ", "day", "DAY "]),
        one_of(&[",", ", ", " , ", " & ", "&", " and ", ";", " ", "/", " + ", "  ,  "]),
        one_of(&["-", "–", " - ", " – "]),
        any::<bool>(),
        any::<bool>(),
        one_of(&["", " ", "  "]),
    );
    (sets, style).prop_map(|((n, set), (lead, each, sep, dash, runs, upper, pad))| {
        // Runs of consecutive days, written as ranges if `runs`.
        let mut groups: Vec<(u32, u32)> = Vec::new();
        for &d in &set {
            match groups.last_mut() {
                Some((_, end)) if runs && *end + 1 == d => *end = d,
                _ => groups.push((d, d)),
            }
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|&(a, b)| if a == b { format!("{each}{a}") } else { format!("{each}{a}{dash}{each}{b}") })
            .collect();
        let text = format!("{pad}{lead}{}{pad}", parts.join(&sep));
        (n, set, if upper { text.to_uppercase() } else { text })
    })
}

proptest! {
    #![proptest_config(config(384, true))]

    /// parse_days never panics nor blows up: sorted distinct days of the event, or an error on "days".
    #[test]
    fn parse_days_is_total_and_bounded(raw in days_text(), day_count in 1u32..=31) {
        match model::parse_days(&raw, day_count) {
            Ok(days) => {
                prop_assert!(!days.is_empty());
                prop_assert!(days.windows(2).all(|w| w[0] < w[1]), "not sorted and distinct: {:?}", days);
                let outside: Vec<&u32> = days.iter().filter(|d| !(1..=day_count).contains(*d)).collect();
                prop_assert!(outside.is_empty(), "{:?} outside 1..={}", outside, day_count);
            }
            Err(e) => check_validation(&e, "days")?,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { max_shrink_iters: 20_000, ..config(384, false) })]

    /// Any day set written "1,3", "Day 1 & Day 3", "days 1-3", spaced or in capitals, parses back.
    #[test]
    fn parse_days_reads_every_day_set_as_written((day_count, set, text) in days_written()) {
        prop_assert_eq!(model::parse_days(&text, day_count).ok(), Some(set), "{:?}", text);
        prop_assert_eq!(model::parse_days(" ALL ", day_count).ok(), Some((1..=day_count).collect()));
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Categories.
// ---------------------------------------------------------------------------------------------

/// Letters and digits of `s`, lower-cased: what category parsing compares.
fn alnum_key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A category's wire value or label in random case, with spaces, hyphens and underscores.
fn category_written() -> impl Strategy<Value = (Category, String)> {
    (
        select(Category::ALL.to_vec()),
        any::<bool>(),
        prop::collection::vec((any::<bool>(), one_of(&["", "", "", " ", "-", "_", " - "])), 24),
        one_of(&["", " ", "  ", "\t"]),
    )
        .prop_map(|(c, wire, marks, pad)| {
            let base = if wire { c.wire() } else { c.label() };
            let mut out = pad.clone();
            for (ch, (upper, sep)) in base.chars().zip(marks.iter().cycle()) {
                out.extend(if *upper {
                    ch.to_uppercase().collect::<Vec<_>>()
                } else {
                    ch.to_lowercase().collect()
                });
                out.push_str(sep);
            }
            out.push_str(&pad);
            (c, out)
        })
}

proptest! {
    #![proptest_config(config(512, false))]

    /// A category's wire value or label, in any case, with spaces or hyphens, parses to it.
    #[test]
    fn category_parses_wire_values_and_labels((category, text) in category_written()) {
        prop_assert_eq!(Category::parse(&text).ok(), Some(category), "{:?}", text);
    }

    /// Category::parse never panics, accepts only a wire value or a label, else errs on "category".
    #[test]
    fn category_parse_is_total(raw in prop_oneof![any::<String>(), "[a-zA-Z \\-_]{0,24}"]) {
        match Category::parse(&raw) {
            Ok(c) => {
                let key = alnum_key(&raw);
                let known = key == alnum_key(c.wire()) || key == alnum_key(c.label());
                prop_assert!(known, "{:?} read as {:?}", raw, c);
            }
            Err(e) => check_validation(&e, "category")?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Phones and e-mails.
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512, false))]

    /// check_phone never panics and refuses with an error on "phone".
    #[test]
    fn check_phone_is_total(raw in prop_oneof![any::<String>(), "[0-9 +\\-()./xXeEtT]{0,30}"]) {
        if let Err(e) = model::check_phone(&raw) {
            check_validation(&e, "phone")?;
        }
    }

    /// 5 to 20 ASCII digits, with or without a leading "+", is a phone number.
    #[test]
    fn check_phone_accepts_plain_numbers(raw in "\\+?[0-9]{5,20}") {
        prop_assert!(model::check_phone(&raw).is_ok(), "{:?}", raw);
    }

    /// Digits with the usual separators are accepted exactly when there are 5 to 20 digits.
    #[test]
    fn check_phone_counts_digits(raw in "\\+?[0-9 ()./\\-]{1,30}") {
        let digits = raw.chars().filter(char::is_ascii_digit).count();
        prop_assert_eq!(model::check_phone(&raw).is_ok(), (5..=20).contains(&digits), "{:?}", raw);
    }

    /// check_email never panics and refuses with an error on "email".
    #[test]
    fn check_email_is_total(raw in prop_oneof![any::<String>(), "[a-z@. +\\-_\"()\\[\\]]{0,30}"]) {
        if let Err(e) = model::check_email(&raw) {
            check_validation(&e, "email")?;
        }
    }

    /// Ordinary addresses (name@domain.tld) are accepted.
    #[test]
    fn check_email_accepts_ordinary_addresses(
        raw in "[a-z0-9]{1,16}(\\.[a-z0-9]{1,8})?@[a-z0-9]{1,16}(\\.[a-z0-9]{1,8})?\\.[a-z]{2,6}"
    ) {
        prop_assert!(model::check_email(&raw).is_ok(), "{:?}", raw);
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Dates.
// ---------------------------------------------------------------------------------------------

/// Any date chrono can hold, and more often one of this or the last century.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    let (min, max) = (NaiveDate::MIN.num_days_from_ce(), NaiveDate::MAX.num_days_from_ce());
    let (y1900, y2100) = (693_596, 766_645);
    prop_oneof![min..=max, y1900..=y2100]
        .prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).expect("a day chrono holds"))
}

proptest! {
    #![proptest_config(config(512, false))]

    /// Every date written YYYY-MM-DD (with spaces around) reads back as itself.
    #[test]
    fn parse_date_round_trips(date in any_date(), pad in one_of(&["", " ", "\t "])) {
        let raw = format!("{pad}{}{pad}", date.format("%Y-%m-%d"));
        let parsed = model::parse_date("startDate", "Start date", &raw);
        if model::YEARS.contains(&chrono::Datelike::year(&date)) {
            prop_assert_eq!(parsed.ok(), Some(date), "{:?}", raw);
        } else {
            check_validation(&parsed.expect_err("a year out of range"), "startDate")?;
        }
    }

    /// parse_date never panics and its errors name the field it was given.
    #[test]
    fn parse_date_is_total(
        raw in prop_oneof![any::<String>(), "[0-9+\\- /]{0,14}", "[+-]?[0-9]{1,12}-[0-9]{1,3}-[0-9]{1,3}"],
        field in "[a-zA-Z]{1,12}",
    ) {
        match model::parse_date(&field, "Date", &raw) {
            Ok(d) => {
                let again = d.format("%Y-%m-%d").to_string();
                prop_assert_eq!(model::parse_date(&field, "Date", &again).ok(), Some(d));
            }
            Err(e) => check_validation(&e, &field)?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Capacity.
// ---------------------------------------------------------------------------------------------

/// Capacities that must be refused: 0, above 100000, beyond u32 and u64, negative, written
/// with an exponent or a fraction, 30 digits and more.
fn capacity_out_of_range() -> impl Strategy<Value = String> {
    prop_oneof![
        one_of(&[
            "0",
            "00",
            "100001",
            "4294967295",
            "4294967296",
            "18446744073709551615",
            "18446744073709551616",
            "-1",
            "-0",
            "1e3",
            "1E5",
            "1.0",
            "100.5",
            "",
            " ",
            "ten",
        ]),
        (100_001u64..=u64::from(u32::MAX)).prop_map(|n| n.to_string()),
        (u64::from(u32::MAX) + 1..=u64::MAX).prop_map(|n| n.to_string()),
        any::<u128>().prop_filter("beyond u64", |n| *n > u128::from(u64::MAX)).prop_map(|n| n.to_string()),
        "-[0-9]{1,25}",
        "[1-9][0-9]{29,60}",
        "[0-9]{1,6}[eE.,][0-9]{1,3}",
    ]
}

proptest! {
    #![proptest_config(config(512, false))]

    /// Every capacity from 1 to 100000, as typed (spaces, leading zeros), reads back as itself.
    #[test]
    fn capacity_in_range_round_trips(
        n in CAPACITY_RANGE,
        zeros in "0{0,3}",
        pad in one_of(&["", " ", "  "]),
    ) {
        prop_assert_eq!(model::parse_capacity(&format!("{pad}{zeros}{n}{pad}")).ok(), Some(n));
    }

    /// Out-of-range and malformed capacities are refused with an error on "capacity".
    #[test]
    fn capacity_out_of_range_is_refused(raw in capacity_out_of_range()) {
        match model::parse_capacity(&raw) {
            Ok(n) => prop_assert!(false, "{:?} accepted as {}", raw, n),
            Err(e) => check_validation(&e, "capacity")?,
        }
    }

    /// parse_capacity never panics: it gives a capacity in range or an error on "capacity".
    #[test]
    fn capacity_parse_is_total(raw in prop_oneof![any::<String>(), number_text(), "[0-9 +\\-.e]{0,12}"]) {
        match model::parse_capacity(&raw) {
            Ok(n) => prop_assert!(CAPACITY_RANGE.contains(&n), "{:?} accepted as {}", raw, n),
            Err(e) => check_validation(&e, "capacity")?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Seat allocations.
// ---------------------------------------------------------------------------------------------

/// Seat counts as typed: small, large, beyond u32 and u64, negative, empty, padded, garbage.
fn seats_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0u32..=120).prop_map(|n| n.to_string()),
        2 => number_text(),
        2 => (u32::MAX - 200..=u32::MAX).prop_map(|n| n.to_string()),
        2 => one_of(&[
            "4294967295",
            "4294967294",
            "2147483648",
            "18446744073709551616",
            "-1",
            "",
            "  7 ",
            "+5",
            "1e3",
            "0x10",
            "٣",
        ]),
        1 => "[0-9 +\\-]{0,12}",
        1 => any::<String>(),
    ]
}

/// The sum of the seats allocated, without overflow.
fn allocated(a: &delegate_desk::allocation::Allocations) -> u64 {
    a.allocations.iter().map(|x| u64::from(x.seats)).sum()
}

proptest! {
    #![proptest_config(config(16, false))]

    /// No set_allocation sequence, whatever the seat text, panics or allocates beyond the capacity.
    #[test]
    fn allocations_never_exceed_capacity(
        calls in prop::collection::vec(
            (
                one_of(&["Jamaica", "jamaica", "Barbados", "CDEMA", " Press ", "Trinidad and Tobago"]),
                seats_text(),
            ),
            1..10,
        )
    ) {
        let (mut desk, _dir) = fresh_desk();
        let capacity = u64::from(desk.event().expect("event").capacity);
        for who in ["Ann", "Bob"] {
            let input = AttendeeInput {
                given_name: Some(who.into()),
                family_name: Some("Brown".into()),
                delegation: Some("Jamaica".into()),
                category: Some("Delegate".into()),
                ..Default::default()
            };
            desk.register(&input).expect("register");
        }
        for (delegation, seats) in &calls {
            match desk.set_allocation(delegation, seats) {
                Ok(a) => {
                    let total = allocated(&a);
                    prop_assert!(total <= capacity, "{} > {} after {:?}", total, capacity, (delegation, seats));
                    prop_assert_eq!(u64::from(a.unallocated_seats), capacity - allocated(&a));
                }
                Err(e) => {
                    prop_assert_eq!(e.kind(), "validation", "{:?} for {:?}", e, (delegation, seats));
                    prop_assert!(matches!(e.field(), Some("seats" | "delegation")), "{:?}", e);
                }
            }
        }
        let a = desk.allocations().expect("allocations");
        prop_assert!(allocated(&a) <= capacity, "{} > {}", allocated(&a), capacity);
        let registered: u32 =
            a.allocations.iter().map(|x| x.registered).sum::<u32>() + a.unallocated_registered;
        prop_assert_eq!(registered, 2);
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Folding for search.
// ---------------------------------------------------------------------------------------------

/// Characters whose case or decomposition is unusual.
const FOLD_TRICKY: &[char] = &[
    'İ', 'ı', 'I', 'i', 'ẞ', 'ß', 'Σ', 'σ', 'ς', 'Ǆ', 'ǅ', 'ǆ', 'Å', '\u{212B}', '\u{2126}', '\u{212A}', 'ﬁ',
    'Ⅻ', 'Ⓐ', 'ŉ', '\u{301}', '\u{308}', '\u{345}', 'ΐ', 'Ή', 'ᾼ', 'Ø', 'ø', 'Ł', 'Æ', 'Œ', 'Đ', 'Þ', 'þ',
    ' ', '\u{a0}', '\u{3000}', '\t', '\n', 'e', 'E', '한', 'Ⱥ', 'ǰ', 'ᏸ', 'Ꭰ',
];

/// Text over unusual characters, or any text.
fn fold_input() -> impl Strategy<Value = String> {
    let c = prop_oneof![3 => select(FOLD_TRICKY), 1 => any::<char>(), 2 => prop::char::range('A', 'z')];
    prop_oneof![prop::collection::vec(c, 0..20).prop_map(String::from_iter), any::<String>()]
}

/// Letters with accents and the same letters without, composed and decomposed.
const ACCENTED: &[(&str, &str)] = &[
    ("é", "e"),
    ("É", "E"),
    ("è", "e"),
    ("ê", "e"),
    ("ë", "e"),
    ("e\u{301}", "e"),
    ("Ñ", "N"),
    ("ñ", "n"),
    ("N\u{303}", "N"),
    ("ü", "u"),
    ("Ü", "U"),
    ("Å", "A"),
    ("å", "a"),
    ("ç", "c"),
    ("Ç", "C"),
    ("á", "a"),
    ("í", "i"),
    ("ó", "o"),
    ("Ó", "O"),
    ("ú", "u"),
    ("ô", "o"),
    ("ö", "o"),
    ("ã", "a"),
    ("ý", "y"),
    ("ž", "z"),
    ("Ž", "Z"),
    ("š", "s"),
    ("č", "c"),
    ("ő", "o"),
    ("ą", "a"),
    ("ę", "e"),
    ("ż", "z"),
    ("İ", "I"),
];

/// The Latin letters that do not decompose and what search folds them to.
const SPECIAL_LETTERS: &[(&str, &str)] = &[
    ("ø", "o"),
    ("Ø", "o"),
    ("ł", "l"),
    ("Ł", "l"),
    ("ß", "ss"),
    ("ẞ", "ss"),
    ("æ", "ae"),
    ("Æ", "ae"),
    ("œ", "oe"),
    ("Œ", "oe"),
    ("đ", "d"),
    ("Đ", "d"),
    ("ı", "i"),
    ("þ", "th"),
    ("Þ", "th"),
];

/// A word over `letters` and plain ASCII letters and spaces: (the word, its plain spelling).
fn spelled(letters: &'static [(&'static str, &'static str)]) -> impl Strategy<Value = (String, String)> {
    let piece = prop_oneof![
        2 => select(letters).prop_map(|(a, b)| (a.to_string(), b.to_string())),
        2 => "[a-zA-Z]".prop_map(|s| (s.clone(), s)),
        1 => Just((" ".to_string(), " ".to_string())),
    ];
    prop::collection::vec(piece, 1..16).prop_map(|pieces| {
        pieces.into_iter().fold((String::new(), String::new()), |(mut a, mut b), (x, y)| {
            a.push_str(&x);
            b.push_str(&y);
            (a, b)
        })
    })
}

proptest! {
    #![proptest_config(config(512, false))]

    /// Folding twice is folding once.
    #[test]
    fn fold_is_idempotent(s in fold_input()) {
        let once = text::fold(&s);
        prop_assert_eq!(text::fold(&once), once.clone(), "{:?}", s);
    }

    /// A folded key is lower-case and has no leading, trailing or doubled space.
    #[test]
    fn fold_is_lower_case_and_trimmed(s in fold_input()) {
        let f = text::fold(&s);
        prop_assert_eq!(f.to_lowercase(), f.clone(), "{:?}", s);
        prop_assert_eq!(f.trim(), f.as_str(), "{:?}", s);
        prop_assert!(!f.contains("  "), "{:?}", f);
    }

    /// Accents do not matter: a word with accents folds like the same word without them.
    #[test]
    fn fold_drops_accents((word, plain) in spelled(ACCENTED)) {
        prop_assert_eq!(text::fold(&word), text::fold(&plain), "{:?}", word);
    }

    /// ø, ł, ß, æ, œ, đ, ı and þ (either case) fold to o, l, ss, ae, oe, d, i and th.
    #[test]
    fn fold_maps_letters_that_do_not_decompose((word, plain) in spelled(SPECIAL_LETTERS)) {
        prop_assert_eq!(text::fold(&word), text::fold(&plain), "{:?}", word);
    }
}

// ---------------------------------------------------------------------------------------------
// 8. The importer survives any file.
// ---------------------------------------------------------------------------------------------

/// Header lines a file may start with.
const HEADER_LINES: &[&str] = &[
    "given_name,family_name,category,days,email\n",
    "First Name;Last Name;Type;Attending days\r\n",
    "Surname\tDays\tNotes\n",
    "\u{FEFF}given_name,days\n",
];

/// Pieces of CSV text: headers, separators, quotes, line ends, values.
const CSV_TOKENS: &[&str] = &[
    "given_name",
    "family_name",
    "First Name",
    "Surname",
    "category",
    "days",
    "email",
    "notes",
    ",",
    ",",
    ";",
    "\t",
    "\"",
    "\"\"",
    "\n",
    "\n",
    "\r\n",
    "\r",
    "'",
    "'=1+1",
    "=1+1",
    "Delegate",
    "Co-host",
    "1",
    "2",
    "1,2",
    "both",
    "1-2",
    "1-4294967295",
    "99999999999999999999",
    "a@b.org",
    "Ann",
    "Hélène",
    " ",
    "\u{FEFF}",
    "\0",
];

/// Any bytes, sometimes after a header line or a UTF-16 byte-order mark.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    let bytes = prop::collection::vec(any::<u8>(), 0..4096);
    prop_oneof![
        bytes.clone(),
        (select(HEADER_LINES), bytes.clone()).prop_map(|(h, b)| [h.as_bytes(), &b].concat()),
        (select(vec![vec![0xFF, 0xFE], vec![0xFE, 0xFF], vec![0xEF, 0xBB, 0xBF]]), bytes)
            .prop_map(|(bom, b)| [bom, b].concat()),
    ]
}

/// CSV-like text: token soups, sometimes after a header line.
fn csv_like_text() -> impl Strategy<Value = String> {
    let soup = prop::collection::vec(
        prop_oneof![4 => select(CSV_TOKENS).prop_map(str::to_string), 1 => any::<String>()],
        0..300,
    )
    .prop_map(|t| t.concat());
    prop_oneof![soup.clone(), (select(HEADER_LINES), soup).prop_map(|(h, s)| format!("{h}{s}"))]
}

/// Any value of a cell: text, numbers, day ranges, formulas.
fn cell_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => select(CSV_TOKENS).prop_map(str::to_string),
        1 => days_text(),
        1 => "[a-zA-Z0-9 ,;\"'=+\\-@\t\n]{0,20}",
    ]
}

/// A plausible value for a column: a name, a category, days or an e-mail derived from `name`.
fn plausible(header: &str, name: &str, pick: u8) -> String {
    let i = usize::from(pick);
    match header {
        "given_name" | "family_name" => name.to_string(),
        "category" => ["Delegate", "Co-host", "VIP", "press"][i % 4].to_string(),
        "days" | "Days" => ["1", "2", "1,2", "both"][i % 4].to_string(),
        "email" if i % 2 == 0 => format!("{}@example.org", name.to_lowercase()),
        "Delegation" => ["Jamaica", "Barbados", ""][i % 3].to_string(),
        _ => String::new(),
    }
}

/// A well-formed CSV file with a valid header (given_name, family_name, category, days, email
/// and some other columns, in any order, any separator), cells mostly plausible and otherwise
/// arbitrary; and how many data rows it has.
fn well_formed_csv() -> impl Strategy<Value = (Vec<u8>, usize)> {
    let header = (
        prop::collection::vec(
            one_of(&["Rank", "Delegation", "Phone", "Notes", "Dietary", "Shoe size", "", "Days", "notes"]),
            0..4,
        ),
        any::<bool>(),
    )
        .prop_flat_map(|(extra, bom)| {
            let mut h: Vec<String> =
                ["given_name", "family_name", "category", "days", "email"].map(String::from).to_vec();
            h.extend(extra);
            (Just(h).prop_shuffle(), Just(bom))
        });
    (header, select(vec![b',', b';', b'\t']))
        .prop_flat_map(|((header, bom), sep)| {
            let cell = (any::<u8>(), cell_value(), "[A-Z][a-zé]{1,6}");
            let rows = prop::collection::vec(prop::collection::vec(cell, header.len()), 0..12);
            (Just(header), Just(bom), Just(sep), rows)
        })
        .prop_map(|(header, bom, sep, rows)| {
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|row| {
                    let cells = header.iter().zip(row);
                    cells
                        .map(
                            |(h, (pick, any, name))| if pick < 224 { plausible(h, &name, pick) } else { any },
                        )
                        .collect()
                })
                .collect();
            let mut out = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
            {
                let mut w = csv::WriterBuilder::new().delimiter(sep).from_writer(&mut out);
                w.write_record(&header).expect("header");
                for r in &rows {
                    w.write_record(r).expect("row");
                }
                w.flush().expect("flush");
            }
            (out, rows.len())
        })
}

/// Import options, any of them.
fn import_options() -> impl Strategy<Value = ImportOptions> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(register, update, notes, skip)| ImportOptions {
            mode: if register { ImportMode::Register } else { ImportMode::Invite },
            update_existing: update,
            unknown_as_notes: notes,
            skip_invalid: skip,
            ..Default::default()
        },
    )
}

/// A preview of `bytes` is a consistent preview, or a validation error on "file".
fn check_preview(bytes: &[u8], options: &ImportOptions) -> Result<(), TestCaseError> {
    match with_shared_desk(|desk| desk.import_preview(bytes, options)) {
        Ok(p) => {
            prop_assert_eq!(p.new + p.present + p.changed + p.invalid, p.rows, "{:?}", p);
            let lines = 2 + bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64;
            for e in &p.errors {
                prop_assert!(
                    (2..=lines).contains(&e.line),
                    "error line {} of a file of {} lines",
                    e.line,
                    lines
                );
                prop_assert!(!e.field.is_empty() && !e.message.is_empty(), "{:?}", e);
            }
        }
        Err(e) => check_validation(&e, "file")?,
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(128, true))]

    /// An import preview of any bytes gives a preview or a validation error on "file".
    #[test]
    fn import_preview_survives_any_bytes(bytes in file_bytes(), options in import_options()) {
        check_preview(&bytes, &options)?;
    }

    /// An import preview of any CSV-like text gives a preview or a validation error on "file".
    #[test]
    fn import_preview_survives_any_csv_like_text(text in csv_like_text(), options in import_options()) {
        check_preview(text.as_bytes(), &options)?;
    }
}

proptest! {
    #![proptest_config(config(96, true))]

    /// A well-formed CSV with a valid header always gives a consistent preview, whatever its cells.
    #[test]
    fn import_preview_reads_any_well_formed_csv(
        (bytes, rows) in well_formed_csv(),
        options in import_options(),
    ) {
        let preview = with_shared_desk(|desk| desk.import_preview(&bytes, &options));
        prop_assert!(preview.is_ok(), "{:?}", preview);
        prop_assert!(preview.as_ref().is_ok_and(|p| p.rows <= rows), "{:?}", preview);
        check_preview(&bytes, &options)?;
    }
}

/// CSV bytes of `rows` under `header`, rows of any width.
fn csv_file(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        w.write_record(header).expect("header");
        for r in rows {
            w.write_record(r).expect("row");
        }
        w.flush().expect("flush");
    }
    out
}

proptest! {
    #![proptest_config(config(12, true))]

    /// Cells beyond the header never shift values into other columns: read the same, or refused.
    #[test]
    fn import_extra_cells_do_not_shift_columns(
        given in "[A-Z][a-z]{1,8}",
        family in "[A-Z][a-z]{1,8}",
        category in one_of(&["Delegate", "Co-host", "Press", "VIP"]),
        days in one_of(&["1", "2", "1,2", "both"]),
        email in "[a-z]{1,8}@example\\.org",
        extra in prop::collection::vec(
            prop_oneof![
                one_of(&["Delegate", "Press", "1", "2", "x@example.org", "Smith", ""]),
                "[a-z]{1,6}",
                any::<String>(),
            ],
            1..4,
        ),
    ) {
        let header = ["given_name", "family_name", "category", "days", "email"];
        let row = vec![given, family, category, days, email];
        let longer: Vec<String> = row.iter().cloned().chain(extra).collect();
        let (mut desk, _dir) = fresh_desk();
        let plain = desk.import(&csv_file(&header, &[row]), &ImportOptions::default());
        prop_assert!(plain.as_ref().is_ok_and(|o| o.invited == 1), "{:?}", plain);
        let file = csv_file(&header, std::slice::from_ref(&longer));
        match desk.import_preview(&file, &ImportOptions::default()) {
            Ok(p) if p.invalid == 1 => {
                prop_assert!(p.errors.iter().all(|e| e.line == 2), "{:?}", p.errors);
            }
            Ok(p) => {
                prop_assert!(p.rows == 1 && p.present == 1, "{:?} read differently: {:?}", longer, p);
            }
            Err(e) => check_validation(&e, "file")?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Round trips: CSV export → import, and XLSX export → calamine.
// ---------------------------------------------------------------------------------------------

/// Starts of values that spreadsheets or our CSV escaping treat specially.
const PREFIXES: &[&str] = &[
    "",
    "",
    "",
    "",
    "'",
    "=",
    "+",
    "-",
    "@",
    "'=",
    "'+",
    "'-",
    "'@",
    "''",
    "''=",
    "\"",
    "=HYPERLINK(\"x\")",
];

/// Pieces of values: quotes, separators, formula characters, accents, emoji, RTL text, XML.
const TRICKY: &[&str] = &[
    "'",
    "\"",
    "\"\"",
    ",",
    ";",
    "=",
    "+",
    "-",
    "@",
    " ",
    "  ",
    "é",
    "e\u{301}",
    "Ñ",
    "ß",
    "İ",
    "😀",
    "👩‍👩‍👧",
    "\u{1F1EF}\u{1F1F2}",
    "שלום",
    "مرحبا",
    "\u{200F}",
    "\u{200E}",
    "中文",
    "_x0041_",
    "_x000D_",
    "&amp;",
    "<b>",
    "]]>",
    "\u{a0}",
    "\u{3000}",
    "\\",
    "%",
];

/// The rule of a stored text field, for generating values it accepts.
fn rule(multiline: bool) -> TextRule {
    TextRule { field: "value", label: "Value", max_chars: usize::MAX, why: "", multiline }
}

/// A text value the desk stores: no control characters (but line breaks in notes), at most
/// `max_chars` characters, starting and containing what spreadsheets treat specially.
fn stored_text(max_chars: usize, multiline: bool) -> impl Strategy<Value = String> {
    let printable = any::<char>()
        .prop_filter("accepted in a field", |c| text::clean(&rule(false), &format!("a{c}a")).is_ok());
    let one_line = prop_oneof![
        6 => "[A-Za-z0-9]{1,6}",
        4 => select(TRICKY).prop_map(str::to_string),
        2 => printable.prop_map(String::from),
    ];
    let piece: BoxedStrategy<String> = if multiline {
        prop_oneof![6 => one_line, 1 => one_of(&["\n", "\r\n", "\n\n"])].boxed()
    } else {
        one_line.boxed()
    };
    (select(PREFIXES), prop::collection::vec(piece, 0..8)).prop_map(move |(prefix, pieces)| {
        let raw: String = format!("{prefix}{}", pieces.concat()).chars().take(max_chars).collect();
        text::clean(&rule(multiline), &raw).expect("generated values are accepted")
    })
}

/// An attendee as typed, with tricky values in every text field.
fn tricky_input() -> impl Strategy<Value = AttendeeInput> {
    let names =
        (stored_text(40, false), stored_text(100, false), stored_text(100, false), stored_text(100, false));
    let work = (stored_text(150, false), stored_text(150, false), stored_text(100, false));
    let needs = (stored_text(300, false), stored_text(300, false), stored_text(2000, true));
    let contact = (
        prop_oneof![Just(String::new()), "[a-z]{1,8}(\\.[a-z]{1,5})?@[a-z]{1,8}\\.org"],
        prop_oneof![Just(String::new()), "\\+?[0-9]{5,15}", "-[0-9]{5,10}"],
        select(Category::ALL.to_vec()),
        one_of(&["1", "2", "1,2"]),
    );
    // A flag as spreadsheets write it: yes, no, 1, 0, x, or an empty cell.
    let flag = || one_of(&["yes", "no", "YES", "n", "1", "0", "x", ""]);
    (names, work, needs, contact, (flag(), flag()))
        // What the desk accepts as a name: a given or a family name that folds to something, and
        // a badge name that is empty or draws something (one of direction marks only is refused).
        .prop_filter("a name", |((_, given, family, badge), ..)| {
            (!text::fold(given).is_empty() || !text::fold(family).is_empty())
                && (badge.is_empty() || !text::shows_nothing(badge))
        })
        .prop_map(
            |(
                (rank, given, family, badge),
                (position, organization, delegation),
                (dietary, accessibility, notes),
                (email, phone, category, days),
                (head, protocol),
            )| AttendeeInput {
                rank: Some(rank),
                given_name: Some(given),
                family_name: Some(family),
                badge_name: Some(badge),
                position: Some(position),
                organization: Some(organization),
                delegation: Some(delegation),
                category: Some(category.label().to_string()),
                email: Some(email),
                phone: Some(phone),
                days: Some(days),
                dietary: Some(dietary),
                accessibility: Some(accessibility),
                notes: Some(notes),
                head_of_delegation: Some(head),
                notify_protocol: Some(protocol),
            },
        )
}

/// The fields of `a` and `b` that differ: (field, value of a, value of b).
fn differences(a: &AttendeeFields, b: &AttendeeFields) -> Vec<(String, String, String)> {
    let (a, b) = (serde_json::to_value(a).expect("json"), serde_json::to_value(b).expect("json"));
    let (a, b) = (a.as_object().expect("object"), b.as_object().expect("object"));
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.to_string(), b.get(k).map(|w| w.to_string()).unwrap_or_default()))
        .collect()
}

proptest! {
    #![proptest_config(config(256, false))]

    /// Every value survives escape_cell then unescape_cell (what a CSV export and import do).
    #[test]
    fn csv_cell_escaping_round_trips(
        v in prop_oneof![
            (select(PREFIXES), any::<String>()).prop_map(|(p, s)| format!("{p}{s}")),
            "['=+\\-@\t\r]{0,4}[a-z]{0,3}",
        ]
    ) {
        let escaped = escape_cell(&v);
        prop_assert_eq!(unescape_cell(&escaped), v.as_str());
    }
}

proptest! {
    #![proptest_config(config(24, false))]

    /// Any stored text values survive a CSV export ("full") and an import into another database.
    #[test]
    fn csv_export_then_import_round_trips(input in tricky_input()) {
        let (mut desk1, _dir1) = fresh_desk();
        let registered = desk1.register(&input);
        prop_assert!(registered.is_ok(), "{:?}", registered);
        let rows = desk1.list(&ListFilter::default()).expect("list");
        let event = desk1.event().expect("event");
        let bytes = csv_bytes(&rows, &columns("full").expect("columns"), &event).expect("csv");
        let (mut desk2, _dir2) = fresh_desk();
        let outcome = desk2.import(&bytes, &ImportOptions::default());
        prop_assert!(outcome.as_ref().is_ok_and(|o| o.invited == 1), "{:?}", outcome);
        let back = desk2.list(&ListFilter::default()).expect("list");
        prop_assert_eq!(back.len(), 1);
        let diffs = differences(&rows[0].fields, &back[0].fields);
        prop_assert!(diffs.is_empty(), "(field, exported, imported): {:?}", diffs);
    }
}

/// An attendee with the fields of `input` as the desk would store them.
fn attendee(input: &AttendeeInput) -> Attendee {
    let fields = AttendeeFields::from_input(None, input, 2).expect("generated input is valid");
    Attendee {
        id: 7,
        display_name: fields.display_name(),
        fields,
        status: Status::Registered,
        registered_at: Some("2019-11-14T13:00:00.000Z".into()),
        waitlist_position: None,
        created_at: "2019-11-14T13:00:00.000Z".into(),
        updated_at: "2019-11-14T13:00:00.000Z".into(),
        vetting: Default::default(),
    }
}

/// The text of an XLSX cell (an empty cell is "").
fn cell_text(cell: Option<&Data>) -> Result<String, String> {
    match cell {
        None | Some(Data::Empty) => Ok(String::new()),
        Some(Data::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!("not a string cell: {other:?}")),
    }
}

proptest! {
    #![proptest_config(config(96, false))]

    /// Any stored text values survive an XLSX export ("full"), read back as string cells by calamine.
    #[test]
    fn xlsx_export_round_trips(input in tricky_input()) {
        let a = attendee(&input);
        let cols: Vec<Column> = columns("full").expect("columns");
        // An event of its own, made here: a desk kept per thread for it would be dropped after
        // the async runtime a server's client needs (on PostgreSQL, an abort at exit).
        let event = delegate_desk::model::Event {
            name: "Roster".into(),
            venue: String::new(),
            start_date: chrono::NaiveDate::from_ymd_opt(2019, 11, 14).expect("date"),
            end_date: chrono::NaiveDate::from_ymd_opt(2019, 11, 15).expect("date"),
            timezone: "America/Jamaica".into(),
            days: Vec::new(),
            capacity: 100,
            demo: false,
            require_vetting: false,
        };
        let bytes = xlsx_bytes(std::slice::from_ref(&a), &[("Roster", cols.clone())], &event).expect("xlsx");
        let fail = |e: calamine::XlsxError| TestCaseError::fail(e.to_string());
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(fail)?;
        let range = book.worksheet_range("Roster").map_err(fail)?;
        for (c, col) in cols.iter().enumerate() {
            prop_assert_eq!(cell_text(range.get((0, c))), Ok(col.header.to_string()));
            prop_assert_eq!(cell_text(range.get((1, c))), Ok(col.value(&a, &event)), "column {}", col.key);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The programme and the door

proptest! {
    #![proptest_config(config(256, false))]

    /// A clock time as typed is read as the same time, or refused naming the field; never a
    /// panic, never another time.
    #[test]
    fn clock_times_round_trip_or_are_refused(
        h in 0u32..=24, m in 0u32..=59,
        form in select(&["{h}:{mm}", "{hh}:{mm}", "{h}.{mm}", "{hh}{mm}", "{h}h{mm}"][..]),
        end in any::<bool>(),
    ) {
        let typed = form
            .replace("{hh}", &format!("{h:02}"))
            .replace("{h}", &h.to_string())
            .replace("{mm}", &format!("{m:02}"));
        match model::parse_clock("start", &typed, end) {
            Ok(t) => {
                prop_assert_eq!(t, format!("{h:02}:{m:02}"), "{}", typed);
                prop_assert!(h < 24 || (end && m == 0), "{} accepted", typed);
            }
            Err(e) => {
                prop_assert!(h == 24 && (!end || m > 0), "{} refused: {}", typed, e);
                check_validation(&e, "start")?;
            }
        }
    }

    #[test]
    fn clock_parse_is_total(raw in prop_oneof![any::<String>(), "[0-9:.h ]{0,8}"], end in any::<bool>()) {
        if let Err(e) = model::parse_clock("end", &raw, end) {
            check_validation(&e, "end")?;
        }
    }
}

fn categories() -> impl Strategy<Value = Vec<Category>> {
    subsequence(Category::ALL.to_vec(), 0..=Category::ALL.len())
}

proptest! {
    #![proptest_config(config(24, false))]

    /// At a session's door, whatever the categories it admits and whoever is named: a person
    /// is admitted exactly when the session's rule says so; a refusal writes nothing; an
    /// admission is the day's check-in too; an undo of the day leaves them in no session.
    #[test]
    fn the_door_follows_the_sessions_rule(
        open in categories(),
        people in proptest::collection::vec((select(Category::ALL.to_vec()), 0u8..3), 1..6),
    ) {
        let (mut desk, _dir) = fresh_desk();
        let wire: Vec<&str> = open.iter().map(|c| c.wire()).collect();
        let s = desk.add_session(&delegate_desk::programme::SessionInput {
            day: Some(1), start: Some("08:00".into()), end: Some("09:00".into()),
            title: Some("Session".into()), categories: Some(wire.join(",")),
            ..Default::default()
        }).expect("session");
        let mut ids = Vec::new();
        for (i, (category, _)) in people.iter().enumerate() {
            let input = AttendeeInput {
                given_name: Some(format!("P{i}")), family_name: Some("Door".into()),
                delegation: Some("Belize".into()), category: Some(category.wire().into()),
                email: Some(format!("p{i}@example.org")), ..Default::default()
            };
            ids.push(desk.register(&input).expect("register").attendee.id);
        }
        let named = |k: u8| ids.iter().zip(&people).filter(|(_, (_, n))| *n == k).map(|(id, _)| *id).collect::<Vec<_>>();
        use delegate_desk::programme::PeopleList;
        if !named(1).is_empty() { desk.set_session_people(s.id, &named(1), PeopleList::Admit).expect("admit"); }
        if !named(2).is_empty() { desk.set_session_people(s.id, &named(2), PeopleList::Exclude).expect("exclude"); }
        let s = desk.session(s.id).expect("session");
        for (id, (category, _)) in ids.iter().zip(&people) {
            let before = desk.revision().expect("revision");
            let out = desk.check_in_session(*id, s.id).expect("door");
            let may = s.access(*id, *category) == model::Access::Admitted;
            if may {
                prop_assert_eq!(out.result, delegate_desk::checkin::Arrival::Admitted, "{}", out.message);
                prop_assert!(out.card.checkin.is_some(), "the day's check-in too");
            } else {
                prop_assert_eq!(out.result, delegate_desk::checkin::Arrival::Refused, "{}", out.message);
                prop_assert_eq!(desk.revision().expect("revision"), before, "a refusal wrote something");
                prop_assert!(out.card.checkin.is_none());
            }
        }
        let inside = desk.session_checkins(s.id).expect("attendance");
        for c in &inside {
            desk.undo_check_in(c.attendee_id, 1, "property").expect("undo");
        }
        prop_assert!(desk.session_checkins(s.id).expect("attendance").is_empty());
    }
}

// Security vetting

proptest! {
    #![proptest_config(config(256, false))]

    /// Whatever is typed as a vetting state is one of the three states or refused naming the
    /// field; never a panic.
    #[test]
    fn vetting_states_parse_or_are_refused(raw in prop_oneof![any::<String>(), "(?i)(pending|cleared|refused|clear|vetted|denied)[ ]{0,2}"]) {
        match model::VettingState::parse(&raw) {
            Ok(s) => prop_assert!(model::VettingState::ALL.contains(&s)),
            Err(e) => check_validation(&e, "vetting")?,
        }
    }
}

proptest! {
    #![proptest_config(config(24, false))]

    /// Whoever is vetted how, with vetting required or not, at the desk or at a door: a person
    /// is checked in exactly when nothing holds them back (vetting not required, or cleared;
    /// at a door, the session's rule too); a refusal writes nothing.
    #[test]
    fn only_the_cleared_get_in_while_vetting_is_required(
        required in any::<bool>(),
        people in proptest::collection::vec((0u8..4, any::<bool>(), select(Category::ALL.to_vec())), 1..6),
    ) {
        let (mut desk, _dir) = fresh_desk();
        let s = desk.add_session(&delegate_desk::programme::SessionInput {
            day: Some(1), start: Some("08:00".into()), end: Some("09:00".into()),
            title: Some("Session".into()), ..Default::default()
        }).expect("session");
        desk.update_event(&delegate_desk::EventInput {
            require_vetting: Some(if required { "on" } else { "off" }.into()),
            ..Default::default()
        }).expect("setting");
        for (i, (state, at_door, category)) in people.iter().enumerate() {
            let input = AttendeeInput {
                given_name: Some(format!("P{i}")), family_name: Some("Vetted".into()),
                delegation: Some("Belize".into()), category: Some(category.wire().into()),
                email: Some(format!("p{i}@example.org")), ..Default::default()
            };
            let id = desk.register(&input).expect("register").attendee.id;
            // 0: never set (pending); 1–3: pending, cleared, refused.
            if *state > 0 {
                let word = ["pending", "cleared", "refused"][usize::from(*state - 1)];
                desk.set_vetting(id, word, Some("property")).expect("vetting");
            }
            let cleared = *state == 2;
            let door_ok = !*at_door || desk.session(s.id).expect("session").access(id, *category) == model::Access::Admitted;
            let before = desk.revision().expect("revision");
            let out = if *at_door { desk.check_in_session(id, s.id) } else { desk.check_in(id, Some(1)) }.expect("arrive");
            let may = (!required || cleared) && door_ok;
            prop_assert_eq!(out.card.checkin.is_some(), may, "{:?}: {}", out.result, out.message);
            prop_assert_eq!(out.card.vetting.is_some(), required && !cleared);
            if !may {
                prop_assert_eq!(out.result, delegate_desk::checkin::Arrival::Refused, "{}", out.message);
                prop_assert_eq!(desk.revision().expect("revision"), before, "a refusal wrote something");
            }
        }
    }
}

// Protocol

proptest! {
    #![proptest_config(config(24, false))]

    /// Whoever arrives how often, with undos between: exactly the people protocol must meet
    /// (a VIP, or flagged) have one open notice per check-in in force, and nobody else any.
    #[test]
    fn protocol_is_told_of_exactly_the_arrivals_in_force_it_must_meet(
        people in proptest::collection::vec((select(Category::ALL.to_vec()), any::<bool>()), 1..5),
        steps in proptest::collection::vec((0usize..5, any::<bool>()), 0..12),
    ) {
        let (mut desk, _dir) = fresh_desk();
        let mut ids = Vec::new();
        for (i, (category, flagged)) in people.iter().enumerate() {
            let input = AttendeeInput {
                given_name: Some(format!("P{i}")), family_name: Some("Protocol".into()),
                delegation: Some("Belize".into()), category: Some(category.wire().into()),
                email: Some(format!("p{i}@example.org")),
                notify_protocol: Some(if *flagged { "yes" } else { "no" }.into()),
                ..Default::default()
            };
            ids.push(desk.register(&input).expect("register").attendee.id);
        }
        for (who, undo) in steps {
            let id = ids[who % ids.len()];
            if undo {
                let _ = desk.undo_check_in(id, 1, "property");
            } else {
                desk.check_in(id, Some(1)).expect("check in");
            }
        }
        let open = desk.protocol_notices(false).expect("notices");
        for (id, (category, flagged)) in ids.iter().zip(&people) {
            let in_force = desk.arrival_card(*id, Some(1)).expect("card").checkin;
            let notices: Vec<_> = open.iter().filter(|n| n.attendee_id == *id).collect();
            let must = *category == Category::Vip || *flagged;
            match (&in_force, must) {
                (Some(c), true) => {
                    prop_assert_eq!(notices.len(), 1);
                    prop_assert_eq!(notices[0].checkin_id, c.id);
                }
                _ => prop_assert!(notices.is_empty(), "#{} {:?} flagged {}: {:?}", id, category, flagged, notices),
            }
        }
    }
}
