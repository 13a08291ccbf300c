//! What the SMTP client does on the wire: `smtps://` and `?tls=required` verify the server's
//! certificate (a server showing one that no authority signed gets neither mail nor password), and
//! mails sent one after another share one kept-open connection.

use std::{sync::Arc, time::Duration};

use gatehouse::server::mail::smtp::SmtpPool;
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    task::JoinHandle,
};
use tokio_rustls::rustls::{
    self,
    pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer},
};

use crate::support::SmtpSink;

/// Self-signed, for this test only: what a man in the middle would show.
const CERTIFICATE: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIIBmjCCAUCgAwIBAgIUX+Q+y0j1M2lRsn7ePOX7SFQyBEcwCgYIKoZIzj0EAwIw\n\
GTEXMBUGA1UEAwwOdW50cnVzdGVkLnRlc3QwIBcNMjYxMjA0MTEyOTA3WhgPMjEy\n\
NjExMTAxMTI5MDdaMBkxFzAVBgNVBAMMDnVudHJ1c3RlZC50ZXN0MFkwEwYHKoZI\n\
zj0CAQYIKoZIzj0DAQcDQgAERWTsBwZDo1WTnjKlo+oVc2HYs/kvZER/BTeYSI/S\n\
a04UvobIl+ZnfbnsF+pDv+smYhH8vSvgXO5/0wdCssitJqNkMGIwHQYDVR0OBBYE\n\
FG4udtxAsGBd6qWwEgs6gaC4pjUrMB8GA1UdIwQYMBaAFG4udtxAsGBd6qWwEgs6\n\
gaC4pjUrMA8GA1UdEwEB/wQFMAMBAf8wDwYDVR0RBAgwBocEfwAAATAKBggqhkjO\n\
PQQDAgNIADBFAiAPFVvLS4sPZYNAw8BWaKmsMtKzAs8ns6A0YcEUWy7aXgIhAKd/\n\
pWl3ZJeHsOGmdDoXHGf1MA+oiRWzxUbNl7t18AKK\n\
-----END CERTIFICATE-----\n";
const KEY: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+w/rwZ0+fDyJMLZy\n\
emNXlXUHs7FDeIrBsolhsdsn0smhRANCAARFZOwHBkOjVZOeMqWj6hVzYdiz+S9k\n\
RH8FN5hIj9JrThS+hsiX5md9uewX6kO/6yZiEfy9K+Bc7n/TB0KyyK0m\n\
-----END PRIVATE KEY-----\n";

fn message() -> lettre::Message {
    lettre::Message::builder()
        .from("Gatehouse <gatehouse@example.test>".parse().unwrap())
        .to("ines@example.test".parse().unwrap())
        .subject("Your code")
        .body("Your code is: 123456".to_string())
        .unwrap()
}

/// A server on loopback with the self-signed certificate, TLS from the first byte or after
/// STARTTLS; its task says whether a TLS handshake completed.
async fn untrusted_server(starttls: bool) -> (u16, JoinHandle<bool>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(CERTIFICATE.as_bytes()).unwrap()],
            PrivateKeyDer::from_pem_slice(KEY.as_bytes()).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        if starttls {
            stream.write_all(b"220 untrusted.test ESMTP\r\n").await.unwrap();
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).await.unwrap() == 0 {
                    return false;
                }
                let command = line.trim_end().to_ascii_uppercase();
                let reply: &[u8] = if command.starts_with("EHLO") {
                    b"250-untrusted.test\r\n250 STARTTLS\r\n"
                } else if command == "STARTTLS" {
                    reader.get_mut().write_all(b"220 Go ahead\r\n").await.unwrap();
                    break;
                } else {
                    b"250 OK\r\n"
                };
                reader.get_mut().write_all(reply).await.unwrap();
            }
            stream = reader.into_inner();
        }
        acceptor.accept(stream).await.is_ok()
    });
    (port, task)
}

#[tokio::test]
async fn smtps_and_required_starttls_refuse_a_certificate_no_authority_signed() {
    for starttls in [false, true] {
        let (port, server) = untrusted_server(starttls).await;
        let url = if starttls {
            format!("smtp://mailer:hunter2@127.0.0.1:{port}?tls=required")
        } else {
            format!("smtps://mailer:hunter2@127.0.0.1:{port}")
        };
        let pool = SmtpPool::from_url(&url, Duration::from_secs(10)).unwrap();
        let error = pool.send(&message()).await.unwrap_err();
        assert!(error.contains("certificate"), "{url}: {error}");
        assert!(!server.await.unwrap(), "{url}: no TLS session was set up");
    }
}

#[tokio::test]
async fn mails_one_after_another_share_one_kept_open_connection() {
    let sink = SmtpSink::start().await;
    let pool = SmtpPool::from_url(&sink.url(), Duration::from_secs(10)).unwrap();
    for _ in 0..3 {
        pool.send(&message()).await.unwrap();
    }
    assert_eq!(sink.message_count().await, 3);
    assert_eq!(sink.connections(), 1);
}
