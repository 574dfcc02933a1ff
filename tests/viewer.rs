//! Opening a file the desk wrote: with no program on the computer that opens it, the desk
//! says so and where the file is, instead of starting the system's opener in the background
//! and saying nothing. One test in its own process: it sets the environment.

use delegate_desk::printing::{open_in_viewer, viewer_installed, OUTPUT_DIR_ENV};

#[test]
fn with_no_viewer_the_desk_says_so_and_where_the_file_is() {
    let out = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let shared = tempfile::tempdir().unwrap();
    std::env::set_var(OUTPUT_DIR_ENV, out.path());
    std::env::set_var("XDG_DATA_HOME", data.path());
    std::env::set_var("XDG_DATA_DIRS", shared.path());
    let pdf = out.path().join("badges 08.15.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n").unwrap();
    assert!(!viewer_installed(&["application/pdf"]));
    let e = open_in_viewer(&pdf).unwrap_err().to_string();
    assert!(e.contains("No program on this computer opens PDF files"), "{e}");
    assert!(e.contains(&pdf.canonicalize().unwrap().display().to_string()), "{e}");

    // A desktop entry that opens plain text does not open a PDF, but opens a CSV; one that
    // lists the PDF type among others does (whatever the case and spaces).
    let apps = shared.path().join("applications");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(apps.join("editor.desktop"), "[Desktop Entry]\nName=Editor\nMimeType=text/plain;\n")
        .unwrap();
    assert!(!viewer_installed(&["application/pdf"]));
    assert!(viewer_installed(&["text/csv", "text/plain"]));
    std::fs::write(apps.join("notes.txt"), "MimeType=application/pdf;\n").unwrap();
    assert!(!viewer_installed(&["application/pdf"]), "only desktop entries count");
    let local = data.path().join("applications");
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(local.join("viewer.desktop"), "[Desktop Entry]\nMimeType=image/png; Application/PDF ;\n")
        .unwrap();
    assert!(viewer_installed(&["application/pdf"]));
}
