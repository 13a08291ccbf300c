//! A small but real SMTP server on a loopback TCP socket: it speaks the protocol to lettre and
//! keeps every message it accepts.

use std::{
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use super::TestDb;
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    sync::{oneshot, Mutex},
    task::JoinHandle,
};

#[derive(Debug, Clone)]
pub struct Mail {
    pub recipients: Vec<String>,
    pub data: String,
}

impl Mail {
    /// The message with quoted-printable soft line breaks undone.
    pub fn text(&self) -> String {
        self.data.replace("=\r\n", "")
    }

    pub fn code(&self) -> Option<String> {
        let text = self.text();
        let after = &text[text.find("code is:")?..];
        after
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| run.len() == 6)
            .map(str::to_string)
    }
}

pub struct SmtpSink {
    pub port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
    stall_next: Arc<AtomicBool>,
    hold_next: Arc<std::sync::Mutex<Option<HeldMessage>>>,
    connections: Arc<AtomicUsize>,
    /// Where the server records its deliveries: see `settle_by`.
    recorded_in: Option<TestDb>,
    task: JoinHandle<()>,
}

/// The sink's side of a held message: it says when the message is in, and waits to acknowledge.
struct HeldMessage {
    received: oneshot::Sender<()>,
    released: oneshot::Receiver<()>,
}

/// The test's side: wait until the message is in, then let the sink acknowledge it.
pub struct Hold {
    received: oneshot::Receiver<()>,
    release: oneshot::Sender<()>,
}

impl Hold {
    pub async fn until_received(&mut self) {
        (&mut self.received).await.expect("the sink runs");
    }

    pub fn release(self) {
        let _ = self.release.send(());
    }
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        SmtpSink::start_on(0).await
    }

    pub async fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind SMTP sink");
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let store = mails.clone();
        let stall_next = Arc::new(AtomicBool::new(false));
        let stall = stall_next.clone();
        let hold_next = Arc::new(std::sync::Mutex::new(None));
        let hold = hold_next.clone();
        let connections = Arc::new(AtomicUsize::new(0));
        let accepted = connections.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, store.clone(), stall.clone(), hold.clone()));
            }
        });
        SmtpSink {
            port,
            mails,
            stall_next,
            hold_next,
            connections,
            recorded_in: None,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The next message is received but never acknowledged: its sender hangs mid-send.
    pub fn stall_next_message(&self) {
        self.stall_next.store(true, Ordering::SeqCst);
    }

    /// The server records a mail as sent (and starts its code's lifetime) just after this sink
    /// answers 250: with the database set here, the waits hand a test a mail only once no mail to
    /// its address is still claimed and unrecorded, or a code entered at once could meet a flow
    /// that does not know its mail left yet.
    pub fn settle_by(&mut self, db: TestDb) {
        self.recorded_in = Some(db);
    }

    async fn settled(&self, recipient: &str) -> bool {
        let Some(db) = &self.recorded_in else {
            return true;
        };
        db.number(&format!(
            "select count(*) from email_outbox
             where recipient = '{recipient}' and sent_at is null and claimed_until is not null"
        ))
        .await
            == 0
    }

    /// The next message is received and acknowledged only once the returned hold is released.
    pub fn hold_next_message(&self) -> Hold {
        let (received, received_here) = oneshot::channel();
        let (release, released) = oneshot::channel();
        *self.hold_next.lock().unwrap() = Some(HeldMessage { received, released });
        Hold {
            received: received_here,
            release,
        }
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub async fn message_count(&self) -> usize {
        self.mails.lock().await.len()
    }

    pub async fn mails_to(&self, recipient: &str) -> Vec<Mail> {
        self.mails
            .lock()
            .await
            .iter()
            .filter(|m| m.recipients.iter().any(|r| r == recipient))
            .cloned()
            .collect()
    }

    /// Waits up to `timeout` for the `n`-th mail to `recipient`.
    pub async fn wait_for(&self, recipient: &str, n: usize, timeout: Duration) -> Mail {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let mails = self.mails_to(recipient).await;
            if mails.len() >= n && self.settled(recipient).await {
                return mails[n - 1].clone();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no mail #{n} for {recipient} within {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the `n`-th mail to `recipient` that contains `needle`.
    pub async fn wait_for_containing(&self, recipient: &str, needle: &str, n: usize) -> Mail {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let mails = self.mails_to(recipient).await;
            let found = mails
                .iter()
                .filter(|mail| mail.text().contains(needle))
                .nth(n - 1);
            if let Some(mail) = found {
                if self.settled(recipient).await {
                    return mail.clone();
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no mail #{n} with {needle:?} for {recipient}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_for_code(&self, recipient: &str, n: usize) -> String {
        self.wait_for(recipient, n, Duration::from_secs(10))
            .await
            .code()
            .expect("the mail holds a code")
    }

    pub fn stop(self) {
        self.task.abort();
    }
}

async fn serve(
    stream: TcpStream,
    mails: Arc<Mutex<Vec<Mail>>>,
    stall_next: Arc<AtomicBool>,
    hold_next: Arc<std::sync::Mutex<Option<HeldMessage>>>,
) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
    let mut recipients = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-sink.test\r\n250 8BITMIME\r\n"
        } else if command.starts_with("RCPT TO:") {
            recipients.push(line[8..].trim().trim_matches(['<', '>']).to_string());
            b"250 OK\r\n"
        } else if command == "DATA" {
            let _ = write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await;
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                data.push_str("\r\n");
            }
            if stall_next.swap(false, Ordering::SeqCst) {
                std::future::pending::<()>().await;
            }
            let held = hold_next.lock().unwrap().take();
            if let Some(held) = held {
                let _ = held.received.send(());
                let _ = held.released.await;
            }
            mails.lock().await.push(Mail {
                recipients: std::mem::take(&mut recipients),
                data,
            });
            b"250 OK queued\r\n"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 Bye\r\n").await;
            return;
        } else if command.starts_with("RSET") {
            recipients.clear();
            b"250 OK\r\n"
        } else {
            b"250 OK\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
