//! How the window chooses WebKit's drawing: on the CPU when the computer has no graphics
//! device, else as WebKit decides. One test in its own binary: it changes the process's
//! environment, which no other test may see half-way.

use delegate_desk_app::prefer_cpu_rendering_without_gpu;
use std::env;

const VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

#[test]
fn cpu_drawing_only_without_a_graphics_device_and_never_over_a_choice_made() {
    let dir = tempfile::tempdir().unwrap();
    let with_gpu = dir.path().join("with-gpu");
    std::fs::create_dir(&with_gpu).unwrap();
    // A card node alone is no render node: only renderD* is what Mesa draws with.
    std::fs::write(with_gpu.join("card0"), "").unwrap();
    std::fs::write(with_gpu.join("renderD128"), "").unwrap();
    let only_card = dir.path().join("only-card");
    std::fs::create_dir(&only_card).unwrap();
    std::fs::write(only_card.join("card0"), "").unwrap();
    let missing = dir.path().join("no-dri-here");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    // A file where the folder should be.
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, "renderD128").unwrap();

    let run = |dri: &std::path::Path, software: Option<&str>, before: Option<&str>| -> Option<String> {
        match software {
            Some(v) => env::set_var("LIBGL_ALWAYS_SOFTWARE", v),
            None => env::remove_var("LIBGL_ALWAYS_SOFTWARE"),
        }
        match before {
            Some(v) => env::set_var(VAR, v),
            None => env::remove_var(VAR),
        }
        prefer_cpu_rendering_without_gpu(dri);
        env::var(VAR).ok()
    };

    assert_eq!(run(&with_gpu, None, None), None, "a graphics device: WebKit decides");
    assert_eq!(run(&only_card, None, None).as_deref(), Some("1"));
    assert_eq!(run(&missing, None, None).as_deref(), Some("1"));
    assert_eq!(run(&empty, None, None).as_deref(), Some("1"));
    assert_eq!(run(&not_a_dir, None, None).as_deref(), Some("1"));
    assert_eq!(run(&with_gpu, Some("1"), None).as_deref(), Some("1"), "software GL asked for");
    assert_eq!(run(&with_gpu, Some("0"), None), None, "LIBGL_ALWAYS_SOFTWARE=0 asks for nothing");
    assert_eq!(run(&with_gpu, Some(""), None), None);
    // A choice already made is kept, both ways.
    assert_eq!(run(&missing, None, Some("0")).as_deref(), Some("0"));
    assert_eq!(run(&with_gpu, None, Some("1")).as_deref(), Some("1"));
    env::remove_var(VAR);
    env::remove_var("LIBGL_ALWAYS_SOFTWARE");
}
