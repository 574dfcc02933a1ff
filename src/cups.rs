//! The system's print service, CUPS, spoken to over IPP: its queues with their state, a PDF
//! sent to one of them, and the job followed until CUPS says how it ended. It knows nothing of
//! the desk, the badges or the database; [`crate::printing`] builds on it.
//!
//! The scheduler is the one `CUPS_SERVER` names (`host` or `host:port`), else the local one at
//! `localhost:631`, as for every CUPS program. Every answer is put in an operator's words:
//! "stopped: the printer is not answering", "out of labels", "held".

use crate::error::{Error, Result};
use ipp::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// The variable that names the scheduler, as for `lp` and `lpstat`.
pub const SERVER_ENV: &str = "CUPS_SERVER";

/// How long one request to the scheduler may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A queue's name as CUPS allows it: printable, no space, `/`, `#` or quote, at most 127 bytes.
pub fn check_queue_name(name: &str) -> Result<&str> {
    let ok = !name.is_empty()
        && name.len() <= 127
        && name
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '/' | '#' | '\'' | '"' | '\\' | '?' | '%'));
    if ok {
        Ok(name)
    } else {
        Err(Error::invalid(
            "printer",
            format!("\"{}\" is not the name of a printer queue (see `printers`)", name.escape_debug()),
        ))
    }
}

/// The scheduler's address: `CUPS_SERVER` when it names a host, else `localhost:631`.
pub fn server() -> Result<String> {
    let raw = std::env::var(SERVER_ENV).unwrap_or_default();
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok("localhost:631".into());
    }
    if raw.starts_with('/') {
        return Err(Error::Io(format!(
            "{SERVER_ENV} names a local socket ({raw}); the desk reaches CUPS at its network port: set {SERVER_ENV}=localhost:631"
        )));
    }
    let ok = raw.len() <= 255
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !ok {
        return Err(Error::Io(format!(
            "{SERVER_ENV} \"{}\" is not a host name or host:port",
            raw.escape_debug()
        )));
    }
    Ok(if raw.contains(':') && !raw.starts_with('[') || raw.contains("]:") {
        raw.to_string()
    } else {
        format!("{raw}:631")
    })
}

/// Which scheduler a job was handed to, as every desk can compare it: the address for a
/// scheduler on the network (every desk reaches the same one), and the address after this
/// computer's identity (`/etc/machine-id`) for one on this computer, whose job numbers mean
/// nothing to another desk's own scheduler.
pub fn scheduler_key() -> Result<String> {
    let address = server()?;
    let machine = ["/etc/machine-id", "/var/lib/dbus/machine-id", "/proc/sys/kernel/hostname"]
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .map(|id| id.trim().chars().take(64).collect::<String>())
        .find(|id| !id.is_empty())
        .ok_or_else(|| Error::Io("This computer has no machine id (/etc/machine-id) to tell its print jobs from another desk's".into()))?;
    Ok(key_of(&address, &machine))
}

/// The key of the scheduler at `address` (as [`server`] gives it) seen from computer `machine`.
/// One spelling for this computer's scheduler: `localhost`, `127.0.0.1` and `[::1]` are the
/// same print service (a desk whose CLI and window name it differently follows its own jobs in
/// both); letter case does not count.
fn key_of(address: &str, machine: &str) -> String {
    let address = address.to_ascii_lowercase();
    let (host, port) = address.rsplit_once(':').unwrap_or((address.as_str(), "631"));
    let host = host.trim_matches(['[', ']']);
    let local = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if local {
        format!("{machine}/localhost:{port}")
    } else {
        address.clone()
    }
}

#[cfg(test)]
mod scheduler_tests {
    use super::key_of;

    /// This computer's scheduler has one key however its address is written; another
    /// computer's is its address, whatever the letter case.
    #[test]
    fn a_scheduler_has_one_key_however_it_is_written() {
        let local = key_of("localhost:631", "m1");
        assert_eq!(local, "m1/localhost:631");
        for same in ["LOCALHOST:631", "127.0.0.1:631", "[::1]:631", "127.0.0.2:631"] {
            assert_eq!(key_of(same, "m1"), local, "{same}");
        }
        assert_ne!(key_of("localhost:632", "m1"), local);
        assert_ne!(key_of("localhost:631", "m2"), local, "another computer's own scheduler");
        assert_eq!(key_of("Print.Example.org:631", "m1"), "print.example.org:631");
    }
}

/// What a printer is doing, as CUPS reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PrinterState {
    /// Waiting for a job.
    Idle,
    /// Printing a job.
    Printing,
    /// Stopped (paused, or stopped by CUPS after an error), or not accepting jobs.
    Stopped,
}

impl PrinterState {
    /// The word shown: idle, printing, stopped.
    pub fn word(self) -> &'static str {
        match self {
            PrinterState::Idle => "idle",
            PrinterState::Printing => "printing",
            PrinterState::Stopped => "stopped",
        }
    }
}

/// One CUPS queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Printer {
    /// The queue's name (what `lp -d` takes).
    pub name: String,
    /// Whether it is the system's default.
    pub is_default: bool,
    /// What it is doing.
    pub state: PrinterState,
    /// Why, in words ("paused", "the printer is not answering"); empty when all is well.
    pub reason: String,
    /// Its description, as set in CUPS.
    pub info: String,
}

impl Printer {
    /// "idle", or "stopped: paused".
    pub fn state_words(&self) -> String {
        if self.reason.is_empty() {
            self.state.word().to_string()
        } else {
            format!("{}: {}", self.state.word(), self.reason)
        }
    }
}

/// Where a job is, as CUPS reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum JobState {
    /// Queued, waiting for the printer.
    Pending,
    /// Held: it will not print until released.
    Held,
    /// Being printed.
    Processing,
    /// Stopped while printing (the printer stopped).
    Stopped,
    /// Cancelled by someone.
    Cancelled,
    /// Ended by an error.
    Aborted,
    /// Printed: CUPS handed every byte to the printer.
    Completed,
}

impl JobState {
    fn from_ipp(n: i32) -> JobState {
        match n {
            3 => JobState::Pending,
            4 => JobState::Held,
            5 => JobState::Processing,
            6 => JobState::Stopped,
            7 => JobState::Cancelled,
            8 => JobState::Aborted,
            9 => JobState::Completed,
            _ => JobState::Pending,
        }
    }

    /// Whether the job has ended (completed, cancelled or aborted).
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Completed | JobState::Cancelled | JobState::Aborted)
    }

    /// The word shown.
    pub fn word(self) -> &'static str {
        match self {
            JobState::Pending => "waiting",
            JobState::Held => "held",
            JobState::Processing => "printing",
            JobState::Stopped => "stopped",
            JobState::Cancelled => "cancelled",
            JobState::Aborted => "aborted",
            JobState::Completed => "completed",
        }
    }
}

/// A job's state and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobStatus {
    /// Where it is.
    pub state: JobState,
    /// Why, in words (from the job's and the printer's reasons); may be empty.
    pub reason: String,
}

impl JobStatus {
    /// "stopped: the printer is not answering", or "completed".
    pub fn words(&self) -> String {
        if self.reason.is_empty() {
            self.state.word().to_string()
        } else {
            format!("{}: {}", self.state.word(), self.reason)
        }
    }
}

/// A CUPS reason keyword in words, or `None` for the ones that say nothing to an operator.
fn reason_words(keyword: &str) -> Option<String> {
    // Reasons carry a severity suffix ("media-empty-error"); the words are the same.
    let k = ["-error", "-warning", "-report"].iter().fold(keyword, |k, s| k.strip_suffix(s).unwrap_or(k));
    let words = match k {
        "none"
        | "job-printing"
        | "job-incoming"
        | "job-queued"
        | "processing-to-stop-point"
        | "job-completed-successfully" => return None,
        "paused" => "paused",
        "offline" | "connecting-to-device" | "timed-out" => "the printer is not answering",
        "media-empty" | "media-needed" => "out of labels",
        "media-jam" => "a label is jammed",
        "media-low" => "few labels left",
        "cover-open" | "door-open" => "the printer's cover is open",
        "toner-empty" | "marker-supply-empty" | "ribbon-empty" => "out of ribbon or ink",
        "shutdown" => "the printer is shut down",
        "job-hold-until-specified" => "held until released",
        "job-canceled-by-user" => "cancelled by a person",
        "job-canceled-by-operator" | "job-canceled-at-device" => "cancelled at the printer",
        "aborted-by-system" => "ended by the print service",
        "document-format-error" | "document-unprintable-error" => "the printer could not read the badge file",
        "printer-stopped" => "the printer stopped",
        "printer-stopped-partly" => "the printer partly stopped",
        other => return Some(other.replace('-', " ")),
    };
    Some(words.to_string())
}

fn join_reasons(keywords: &[String], message: &str) -> String {
    let mut words: Vec<String> = keywords.iter().filter_map(|k| reason_words(k)).collect();
    words.dedup();
    let message = message.trim();
    if !message.is_empty()
        && !words.iter().any(|w| w.eq_ignore_ascii_case(message))
        && message != "Ready to print."
    {
        // CUPS's own sentence ("The printer may not exist or is unavailable at this time.").
        let m = message.trim_end_matches('.');
        if words.is_empty() {
            words.push(m.to_string());
        } else {
            words.push(format!("({m})"));
        }
    }
    words.join(", ").replace(", (", " (")
}

fn uri(path: &str) -> Result<Uri> {
    let server = server()?;
    format!("ipp://{server}{path}")
        .parse()
        .map_err(|e| Error::Io(format!("Cannot name the print service at {server}: {e}")))
}

fn printer_uri(name: &str) -> Result<Uri> {
    uri(&format!("/printers/{}", check_queue_name(name)?))
}

fn send(to: Uri, request: IppRequestResponse) -> Result<IppRequestResponse> {
    let server = server()?;
    let client = IppClient::builder(to).request_timeout(REQUEST_TIMEOUT).build();
    let response = client.send(request).map_err(|e| {
        Error::Io(format!(
            "The print service (CUPS) does not answer at {server}: {e}. Is CUPS installed and running?"
        ))
    })?;
    Ok(response)
}

/// The status of an answer, in words, when it is not a success.
fn refused(response: &IppRequestResponse, what: &str) -> Option<Error> {
    let status = response.header().status_code();
    if status.is_success() {
        return None;
    }
    let message = text_of(response, DelimiterTag::OperationAttributes, "status-message");
    let why = if message.is_empty() { status.to_string() } else { message };
    Some(match status {
        StatusCode::ClientErrorNotFound => Error::NotFound(format!("{what}: {why}")),
        _ => Error::Io(format!("{what}: {why}")),
    })
}

fn text_of(response: &IppRequestResponse, group: DelimiterTag, name: &str) -> String {
    response
        .attributes()
        .groups_of(group)
        .find_map(|g| g.get(name))
        .map(|a| value_text(a.value()))
        .unwrap_or_default()
}

fn value_text(v: &IppValue) -> String {
    match v {
        IppValue::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

fn keywords(v: Option<&IppAttribute>) -> Vec<String> {
    match v.map(IppAttribute::value) {
        Some(IppValue::Array(items)) => items.iter().map(|i| i.to_string()).collect(),
        Some(one) => vec![one.to_string()],
        None => vec![],
    }
}

fn int(v: Option<&IppAttribute>) -> Option<i32> {
    match v.map(IppAttribute::value) {
        Some(IppValue::Integer(n) | IppValue::Enum(n)) => Some(*n),
        _ => None,
    }
}

fn keyword_list(name: &str, values: &[&str]) -> Result<IppAttribute> {
    let values = values
        .iter()
        .map(|v| ipp::value::IppKeyword::new(*v).map(IppValue::Keyword))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::Internal(format!("IPP keyword: {e}")))?;
    IppAttribute::with_name(name, IppValue::Array(values))
        .map_err(|e| Error::Internal(format!("IPP attribute: {e}")))
}

fn attribute(name: &str, value: IppValue) -> Result<IppAttribute> {
    IppAttribute::with_name(name, value).map_err(|e| Error::Internal(format!("IPP attribute {name}: {e}")))
}

/// The system's default queue, if one is set.
fn default_name() -> Result<Option<String>> {
    let request = IppRequestResponse::new(IppVersion::v1_1(), Operation::CupsGetDefault, None)
        .map_err(|e| Error::Internal(format!("IPP request: {e}")))?;
    let response = send(uri("/")?, request)?;
    if response.header().status_code() == StatusCode::ClientErrorNotFound {
        return Ok(None);
    }
    if let Some(e) = refused(&response, "Cannot ask CUPS for its default printer") {
        return Err(e);
    }
    let name = text_of(&response, DelimiterTag::PrinterAttributes, "printer-name");
    Ok((!name.is_empty()).then_some(name))
}

/// Every queue of the scheduler, the default one marked, by name.
pub fn printers() -> Result<Vec<Printer>> {
    let mut request = IppRequestResponse::new(IppVersion::v1_1(), Operation::CupsGetPrinters, None)
        .map_err(|e| Error::Internal(format!("IPP request: {e}")))?;
    request.attributes_mut().add(
        DelimiterTag::OperationAttributes,
        keyword_list(
            "requested-attributes",
            &[
                "printer-name",
                "printer-state",
                "printer-state-reasons",
                "printer-state-message",
                "printer-is-accepting-jobs",
                "printer-info",
            ],
        )?,
    );
    let response = send(uri("/")?, request)?;
    if response.header().status_code() == StatusCode::ClientErrorNotFound {
        return Ok(vec![]); // No queue at all.
    }
    if let Some(e) = refused(&response, "Cannot list the printers") {
        return Err(e);
    }
    let default = default_name()?;
    let mut out: Vec<Printer> = response
        .attributes()
        .groups_of(DelimiterTag::PrinterAttributes)
        .filter_map(|g| {
            let name = g.get("printer-name").map(|a| a.value().to_string())?;
            let accepting = !matches!(
                g.get("printer-is-accepting-jobs").map(IppAttribute::value),
                Some(IppValue::Boolean(false))
            );
            let mut state = match int(g.get("printer-state")) {
                Some(4) => PrinterState::Printing,
                Some(5) => PrinterState::Stopped,
                _ => PrinterState::Idle,
            };
            let message = g.get("printer-state-message").map(|a| a.value().to_string()).unwrap_or_default();
            let mut reason = join_reasons(&keywords(g.get("printer-state-reasons")), &message);
            if !accepting {
                state = PrinterState::Stopped;
                reason = if reason.is_empty() {
                    "not accepting jobs".into()
                } else {
                    format!("not accepting jobs, {reason}")
                };
            }
            let info = g.get("printer-info").map(|a| a.value().to_string()).unwrap_or_default();
            Some(Printer { is_default: default.as_deref() == Some(name.as_str()), name, state, reason, info })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// One queue, or "no printer called …" naming the ones there are.
pub fn printer(name: &str) -> Result<Printer> {
    check_queue_name(name)?;
    let all = printers()?;
    if let Some(p) = all.iter().find(|p| p.name == name) {
        return Ok(p.clone());
    }
    let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
    Err(Error::NotFound(if names.is_empty() {
        format!("No printer called \"{name}\": CUPS has no printer queue at {}", server()?)
    } else {
        format!("No printer called \"{name}\"; the printers are: {}", names.join(", "))
    }))
}

/// What a job is sent with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission<'a> {
    /// The queue.
    pub printer: &'a str,
    /// The job's title, as `lpstat` shows it.
    pub title: &'a str,
    /// Who asks (the desk's operator).
    pub user: &'a str,
    /// Copies of the whole document, 1 to [`MAX_COPIES`].
    pub copies: u32,
    /// The page size as a PWG media name (`custom_62x100mm_62x100mm`), if the stock has one.
    pub media: Option<String>,
}

/// A text as an IPP name takes it: no control character, at most 255 bytes (cut at a
/// character's edge).
fn ipp_name(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().filter(|c| !c.is_control()) {
        if out.len() + c.len_utf8() > 255 {
            break;
        }
        out.push(c);
    }
    out
}

/// The most copies one job may ask for.
pub const MAX_COPIES: u32 = 100;

/// Send a PDF to a queue; CUPS's job id on acceptance.
pub fn submit(job: &Submission<'_>, pdf: Vec<u8>) -> Result<i32> {
    if !(1..=MAX_COPIES).contains(&job.copies) {
        return Err(Error::invalid(
            "copies",
            format!("Copies must be 1 to {MAX_COPIES}, not {}", job.copies),
        ));
    }
    let to = printer_uri(job.printer)?;
    let user = ipp_name(job.user);
    let title = ipp_name(job.title);
    let mut attributes = vec![
        attribute("copies", IppValue::Integer(job.copies as i32))?,
        // The badge is drawn at its size: the printer must not scale it.
        attribute(
            "print-scaling",
            IppValue::Keyword(
                ipp::value::IppKeyword::new("none").map_err(|e| Error::Internal(e.to_string()))?,
            ),
        )?,
    ];
    if let Some(media) = &job.media {
        attributes.push(attribute(
            "media",
            IppValue::Keyword(
                ipp::value::IppKeyword::new(media.as_str()).map_err(|e| Error::Internal(e.to_string()))?,
            ),
        )?);
    }
    let operation = IppOperationBuilder::print_job(to.clone(), IppPayload::new(std::io::Cursor::new(pdf)))
        .user_name(if user.is_empty() { "delegate-desk".to_string() } else { user })
        .job_title(title)
        .document_format("application/pdf")
        .attributes(attributes)
        .build()
        .map_err(|e| Error::Internal(format!("IPP request: {e}")))?;
    let response = send(to, operation.into())?;
    if let Some(e) = refused(&response, &format!("Printer {} did not take the job", job.printer)) {
        return Err(e);
    }
    let id = int(response.attributes().groups_of(DelimiterTag::JobAttributes).find_map(|g| g.get("job-id")));
    id.ok_or_else(|| Error::Io(format!("Printer {} answered without a job number", job.printer)))
}

/// Where job `id` of a queue is.
pub fn job(printer: &str, id: i32) -> Result<JobStatus> {
    let to = printer_uri(printer)?;
    let mut operation: IppRequestResponse = IppOperationBuilder::get_job_attributes(to.clone(), id)
        .build()
        .map_err(|e| Error::Internal(format!("IPP request: {e}")))?
        .into();
    operation.attributes_mut().add(
        DelimiterTag::OperationAttributes,
        keyword_list(
            "requested-attributes",
            &["job-state", "job-state-reasons", "job-printer-state-message"],
        )?,
    );
    let response = send(to, operation)?;
    if let Some(e) = refused(&response, &format!("Job {printer}-{id}")) {
        return Err(e);
    }
    let group = response.attributes().groups_of(DelimiterTag::JobAttributes).next();
    let state = JobState::from_ipp(int(group.and_then(|g| g.get("job-state"))).unwrap_or(3));
    let message = group
        .and_then(|g| g.get("job-printer-state-message"))
        .map(|a| a.value().to_string())
        .unwrap_or_default();
    let mut reasons = keywords(group.and_then(|g| g.get("job-state-reasons")));
    if state == JobState::Completed {
        reasons.clear();
    }
    let message = if state.is_final() && state == JobState::Completed { String::new() } else { message };
    Ok(JobStatus { state, reason: join_reasons(&reasons, &message) })
}

/// Cancel job `id` of a queue (a job that has ended is left as it is).
pub fn cancel(printer: &str, id: i32, user: &str) -> Result<()> {
    let to = printer_uri(printer)?;
    let user = ipp_name(user);
    let operation = IppOperationBuilder::cancel_job(to.clone(), id)
        .user_name(if user.is_empty() { "delegate-desk".to_string() } else { user })
        .build()
        .map_err(|e| Error::Internal(format!("IPP request: {e}")))?;
    let response = send(to, operation.into())?;
    if response.header().status_code() == StatusCode::ClientErrorNotPossible {
        return Ok(()); // Already ended.
    }
    match refused(&response, &format!("Cannot cancel job {printer}-{id}")) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Follow job `id` until it ends, the printer is seen stopped while the job waits, or `wait`
/// has passed; `tick` hears the state at each look (about five times a second).
pub fn follow(printer: &str, id: i32, wait: Duration, tick: &mut dyn FnMut(&JobStatus)) -> Result<JobStatus> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(20);
    loop {
        let status = job(printer, id)?;
        tick(&status);
        if status.state.is_final() || matches!(status.state, JobState::Held | JobState::Stopped) {
            return Ok(status);
        }
        if status.state == JobState::Pending {
            let p = self::printer(printer)?;
            if p.state == PrinterState::Stopped {
                return Ok(JobStatus { state: JobState::Stopped, reason: p.reason });
            }
        }
        if start.elapsed() >= wait {
            return Ok(status);
        }
        std::thread::sleep(pause.min(wait.saturating_sub(start.elapsed())));
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_names_cups_takes_and_refuses() {
        assert!(check_queue_name("Brother_QL-820NWB").is_ok());
        assert!(check_queue_name("desk1@host").is_ok());
        for bad in ["", "a b", "a/b", "a#b", "x'y", "é", &"q".repeat(128), "a\nb"] {
            assert_eq!(check_queue_name(bad).unwrap_err().field(), Some("printer"), "{bad:?}");
        }
    }

    #[test]
    fn reasons_in_words() {
        assert_eq!(join_reasons(&["paused".into()], ""), "paused");
        assert_eq!(join_reasons(&["media-empty-error".into(), "none".into()], ""), "out of labels");
        assert_eq!(
            join_reasons(
                &["offline-report".into()],
                "The printer may not exist or is unavailable at this time."
            ),
            "the printer is not answering (The printer may not exist or is unavailable at this time)"
        );
        assert_eq!(join_reasons(&["none".into()], "Ready to print."), "");
        assert_eq!(join_reasons(&["some-new-reason".into()], ""), "some new reason");
    }

    #[test]
    fn names_fit_ipp_in_bytes_whatever_the_script() {
        let long = "Александра Константиновна Преображенская-Рождественская ".repeat(5);
        let n = ipp_name(&long);
        assert!(n.len() <= 255 && long.starts_with(&n) && n.chars().count() > 100, "{}", n.len());
        assert_eq!(ipp_name("Ana\nPierre\u{7}"), "AnaPierre");
    }

    #[test]
    fn job_states_from_ipp() {
        assert_eq!(JobState::from_ipp(9), JobState::Completed);
        assert!(JobState::from_ipp(7).is_final() && JobState::from_ipp(8).is_final());
        assert!(!JobState::from_ipp(5).is_final());
        let s = JobStatus { state: JobState::Stopped, reason: "the printer is not answering".into() };
        assert_eq!(s.words(), "stopped: the printer is not answering");
    }
}
