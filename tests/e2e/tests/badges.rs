//! Badges through the real webview: choose people, check, print to PDF, reprint with a reason,
//! and see the print history in the attendee view.

use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::{AttendeeInput, Desk};
use delegate_desk_e2e::{drive, files_in, turn, App};
use std::path::Path;
use std::process::Command;

fn person(given: &str, family: &str) -> AttendeeInput {
    AttendeeInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        delegation: Some("France".into()),
        category: Some("co-host".into()),
        ..Default::default()
    }
}

fn pdf_text(pdf: &Path) -> String {
    let out =
        Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(pdf).arg("-").output().expect("pdftotext");
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn select_two_attendees_and_print_their_badges() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (a, b) = {
        let mut d = Desk::open(&db).unwrap();
        let a = d.register(&person("Hélène", "Dupré-Bâtard")).unwrap().attendee.id;
        let b = d.register(&person("Marc-André", "Côté")).unwrap().attendee.id;
        d.register(&person("Not", "Chosen")).unwrap();
        (a, b)
    };
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "badges-print", async |app: &App| {
        app.click("#nav-badges").await?;
        app.click(&format!("#badges-table tr[data-id='{a}'] input.badge-pick")).await?;
        app.click(&format!("#badges-table tr[data-id='{b}'] input.badge-pick")).await?;
        app.wait_contains("#badges-selected-count", "2").await?;
        app.choose("badges-preset", "letter-6up-4x3").await?;
        app.click("#badges-check").await?;
        app.wait_contains("#badges-preflight", "2 badges").await?;
        app.click("#badges-print").await?;
        app.wait_contains("#badges-result", ".pdf").await?;
        app.wait_contains("#badges-result", "2 badges on 1 page saved as PDF").await?;
        Ok(())
    })
    .await;
    let pdfs = files_in(out.path(), "pdf");
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let text = pdf_text(&pdfs[0]);
    assert!(text.contains("Hélène Dupré-Bâtard"), "{text}");
    assert!(text.contains("Marc-André Côté"), "{text}");
    assert!(!text.contains("Not Chosen"), "{text}");
}

#[tokio::test]
async fn reprint_with_a_reason_and_see_the_history() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let a = {
        let mut d = Desk::open(&db).unwrap();
        let a = d.register(&person("Zoë", "O'Brien-Ísleifsdóttir")).unwrap().attendee.id;
        let req = BadgeRequest {
            selection: BadgeSelection::Ids(vec![a]),
            preset: "insert-4x3".into(),
            reason: None,
            note: None,
        };
        d.print_badges(&req, &dir.path().join("first.pdf")).unwrap();
        a
    };
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "badges-reprint", async |app: &App| {
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{a}'] td")).await?;
        app.wait_contains("#edit-badges", "Version 1").await?;
        app.click("#edit-print-badge").await?;
        app.wait_contains("#badges-selected-count", "1").await?;
        app.choose("badges-preset", "insert-4x3").await?;
        app.click("#badges-check").await?;
        app.wait_contains("#badges-preflight", "version 2").await?;
        app.el("#badges-reason").await?;
        app.choose("badges-reason", "lost").await?;
        app.fill("#badges-note", "left in the taxi").await?;
        app.click("#badges-print").await?;
        app.wait_contains("#badges-result", ".pdf").await?;
        app.click("#nav-attendees").await?;
        app.click(&format!("#attendee-table tr[data-id='{a}'] td")).await?;
        app.wait_contains("#edit-badges", "Version 2").await?;
        app.wait_contains("#edit-badges", "lost").await?;
        Ok(())
    })
    .await;
    let h = Desk::open(&db).unwrap().badge_history(a).unwrap();
    let seen: Vec<(u32, &str, &str)> =
        h.iter().map(|p| (p.version, p.reason.as_str(), p.note.as_str())).collect();
    assert_eq!(seen, [(1, "first", ""), (2, "lost", "left in the taxi")]);
    assert_eq!(files_in(out.path(), "pdf").len(), 1);
}

/// A print that fails leaves the keyboard on the Badges view (Print, or Check when the check
/// must be run again), though Print was disabled while it ran: a review suspected it fell to
/// the page. (It did not, here: this keeps it so.)
#[tokio::test]
async fn after_a_failed_print_the_keyboard_stays_in_badges() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("pdfs");
    std::fs::create_dir(&folder).unwrap();
    let db = dir.path().join("e2e.sqlite3");
    Desk::open(&db).unwrap().register(&person("Ana", "Pierre")).unwrap();
    drive(
        &db,
        &[("DELEGATE_DESK_OUTPUT_DIR", folder.as_path())],
        "badges-failed-focus",
        async |app: &App| {
            app.click("#nav-badges").await?;
            app.click("#badges-who-all").await?;
            app.click("#badges-check").await?;
            app.wait_contains("#badges-no-problems", "Every name fits").await?;
            // The output folder is no longer one (a file in its place): the print fails.
            std::fs::remove_dir(&folder).map_err(|e| e.to_string())?;
            std::fs::write(&folder, "not a folder").map_err(|e| e.to_string())?;
            app.js("document.getElementById('badges-print').focus(); return true").await?;
            app.keyboard("\u{E007}").await?;
            app.wait_until(
                "the failure is said",
                "return document.getElementById('message').textContent.trim() !== ''",
            )
            .await?;
            app.wait_until(
                "the keyboard is back on Print or Check",
                "return ['badges-print', 'badges-check'].includes(document.activeElement?.id)",
            )
            .await?;
            Ok(())
        },
    )
    .await;
    assert_eq!(std::fs::read_to_string(&folder).unwrap(), "not a folder");
}

#[tokio::test]
async fn the_preflight_names_a_problem_and_a_corrected_badge_name_clears_it() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let a = Desk::open(&db).unwrap().register(&person("王小明", "Wang")).unwrap().attendee.id;
    drive(
        &db,
        &[("DELEGATE_DESK_OUTPUT_DIR", out.path())],
        "badges-preflight-corrected",
        async |app: &App| {
            app.click("#nav-badges").await?;
            app.click("#badges-who-all").await?;
            app.choose("badges-preset", "insert-4x3").await?;
            app.click("#badges-check").await?;
            app.wait_contains("#badges-problems", "cannot draw \"王\" (U+738B)").await?;
            // The operator corrects the badge name in the attendee's panel and checks again.
            app.click("#nav-attendees").await?;
            app.click(&format!("#attendee-table tr[data-id='{a}'] td")).await?;
            app.fill("#edit-badgeName", "Wang Xiaoming").await?;
            app.click("#edit-save").await?;
            app.wait_contains("#message", "Saved changes").await?;
            app.click("#nav-badges").await?;
            app.click("#badges-who-all").await?;
            app.click("#badges-check").await?;
            app.wait_contains("#badges-no-problems", "Every name fits").await?;
            app.click("#badges-print").await?;
            app.wait_contains("#badges-result", ".pdf").await?;
            Ok(())
        },
    )
    .await;
    let pdfs = files_in(out.path(), "pdf");
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let text = pdf_text(&pdfs[0]);
    assert!(text.contains("Wang Xiaoming") && !text.contains('王'), "{text}");
}

#[tokio::test]
async fn calibrate_a_stock_and_write_its_calibration_page() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    Desk::open(&db).unwrap();
    drive(&db, &[("DELEGATE_DESK_OUTPUT_DIR", out.path())], "badges-calibration", async |app: &App| {
        app.click("#nav-badges").await?;
        app.choose("badges-preset", "cr80").await?;
        app.click("#calibration summary").await?;
        app.wait_contains("#cal-stock", "CR80").await?;
        app.fill("#cal-dx", "left").await?;
        app.fill("#cal-dy", "0").await?;
        app.click("#cal-save").await?;
        app.wait_contains("#cal-dx-error", "\"left\" is not a number of millimetres").await?;
        // Further right than the card has room for its QR code: refused, in words.
        app.fill("#cal-dx", "5").await?;
        app.click("#cal-save").await?;
        app.wait_contains("#cal-dx-error", "QR code past the right edge").await?;
        app.fill("#cal-dx", "-2").await?;
        app.fill("#cal-dy", "1,5").await?;
        app.click("#cal-save").await?;
        app.wait_contains("#message", "2 mm left, 1.5 mm down").await?;
        app.click("#cal-page").await?;
        app.wait_contains("#cal-path", ".pdf").await?;
        Ok(())
    })
    .await;
    let saved = Desk::open(&db).unwrap().calibration("cr80").unwrap();
    assert_eq!((saved.dx_mm, saved.dy_mm), (-2.0, 1.5));
    assert_eq!(Desk::open(&db).unwrap().calibration("insert-4x3").unwrap().dx_mm, 0.0);
    let pdfs = files_in(out.path(), "pdf");
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let text = pdf_text(&pdfs[0]);
    assert!(text.contains("Calibration page — CR80") && text.contains("right -2 mm, down 1.5 mm"), "{text}");
}

/// The badge stock and printing at check-in are on disk as soon as they are chosen (the
/// webview's own storage reaches the disk seconds later: a window closed right after started
/// with the choice before, and a check-in printed on the wrong stock), and the desk's file is
/// what the next start takes.
#[tokio::test]
async fn the_badge_stock_and_printing_at_check_in_are_remembered_when_chosen() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    drop(Desk::open(&db).unwrap());
    // The webview's storage and the desk's file in a data folder both starts share.
    let env = [("XDG_DATA_HOME", data.path())];
    let file = data.path().join("org.delegatedesk.desk/desk-settings.json");
    let remembered = |file: &Path| -> serde_json::Value {
        std::fs::read(file).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    };
    drive(&db, &env, "desk-settings", async |app: &App| {
        app.click("#nav-badges").await?;
        app.choose("badges-preset", "cr80").await?;
        app.click("#badges-print-at-checkin").await?;
        let want = serde_json::json!({
            "delegate-desk.badge-preset": "cr80",
            "delegate-desk.print-at-check-in": "yes",
        });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while remembered(&file) != want {
            if std::time::Instant::now() > deadline {
                return Err(format!("the desk's file holds {}", remembered(&file)));
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Ok(())
    })
    .await;
    // What the file says wins over what the webview kept: another stock written there between
    // the two starts is the one the next start shows.
    std::fs::write(
        &file,
        r#"{"delegate-desk.badge-preset": "letter-6up-4x3", "delegate-desk.print-at-check-in": "yes"}"#,
    )
    .unwrap();
    drive(&db, &env, "desk-settings-remembered", async |app: &App| {
        app.click("#nav-badges").await?;
        app.wait_until(
            "the stock and printing at check-in are the remembered ones",
            "return document.getElementById('badges-preset').value === 'letter-6up-4x3' && document.getElementById('badges-print-at-checkin').checked",
        )
        .await
    })
    .await;
    // The file cannot be written (a folder of that name is there): the choice applies, and the
    // desk says it is not remembered.
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    drive(&db, &env, "desk-settings-not-remembered", async |app: &App| {
        app.click("#nav-badges").await?;
        app.choose("badges-preset", "cr80").await?;
        app.wait_contains("#message", "could not be remembered on this computer for the next start").await?;
        app.wait_contains("#message", "desk-settings.json is not the desk's settings file").await?;
        Ok(())
    })
    .await;
    assert!(file.is_dir(), "the folder was written over");
}
