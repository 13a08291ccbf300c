//! A few slow clients cannot hold the server: headers must arrive within a deadline (also on an
//! idle kept-alive connection), a whole request within another, open connections are capped (a
//! trusted proxy's only by the total), and shutdown waits for open requests only up to its grace
//! period.

use std::time::{Duration, Instant};

use gatehouse::server::config::{Seconds, TrustedProxies};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::support::fixture;

async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
            Err(_) => panic!("the server kept the connection open for {limit:?}"),
        }
    }
    (String::from_utf8_lossy(&received).into_owned(), started.elapsed())
}

#[tokio::test]
async fn headers_that_never_finish_are_cut_off() {
    let f = fixture(|s| s.http_header_timeout_secs = Seconds(1)).await;
    let mut stream = TcpStream::connect(f.app.address).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: gatehouse.test\r\nX-Slow: ")
        .await
        .unwrap();
    let (_, waited) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(
        waited < Duration::from_secs(3),
        "closed after the header deadline, not {waited:?}"
    );
    // An idle kept-alive connection is closed by the same deadline.
    let mut stream = TcpStream::connect(f.app.address).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: gatehouse.test\r\n\r\n")
        .await
        .unwrap();
    let (answer, waited) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[tokio::test]
async fn a_body_that_drips_gets_408() {
    let f = fixture(|s| s.http_request_timeout_secs = Seconds(1)).await;
    let mut stream = TcpStream::connect(f.app.address).await.unwrap();
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: application/json\r\nContent-Length: 1000\r\n\r\nidentifier=",
        f.app.address,
        f.app.origin()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let (answer, waited) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[tokio::test]
async fn open_connections_are_capped() {
    let f = fixture(|s| {
        s.http_max_connections = 2;
        s.http_header_timeout_secs = Seconds(30);
    })
    .await;
    let mut idle: Vec<TcpStream> = Vec::new();
    for _ in 0..2 {
        idle.push(TcpStream::connect(f.app.address).await.unwrap());
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let url = format!("{}/healthz", f.app.origin());
    assert!(
        client.get(&url).send().await.is_err(),
        "a third connection waits while two are open"
    );
    // The waiting connection is served as soon as the server sees the slot free.
    drop(idle.pop());
    let answer = reqwest::get(&url).await.unwrap();
    assert_eq!(
        answer.status(),
        reqwest::StatusCode::OK,
        "served once a slot is free"
    );
}

#[tokio::test]
async fn one_client_cannot_hold_every_connection() {
    let f = fixture(|s| {
        s.http_max_connections_per_client = 3;
        s.http_header_timeout_secs = Seconds(30);
    })
    .await;
    let mut idle: Vec<TcpStream> = Vec::new();
    for _ in 0..3 {
        idle.push(TcpStream::connect(f.app.address).await.unwrap());
    }
    let mut fourth = TcpStream::connect(f.app.address).await.unwrap();
    let _ = fourth
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: gatehouse.test\r\n\r\n")
        .await;
    let (answer, _) = read_until_closed(&mut fourth, Duration::from_secs(10)).await;
    assert_eq!(answer, "", "the client's fourth connection is closed unanswered");
    // Another client is served meanwhile (127.0.0.2 is this machine too).
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
    let mut other = socket.connect(f.app.address).await.unwrap();
    other
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: gatehouse.test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = read_until_closed(&mut other, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // A connection given back is the client's again.
    drop(idle.pop());
    let answer = reqwest::get(format!("{}/healthz", f.app.origin())).await.unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::OK);
}

/// A trusted proxy carries many clients: its connections count only against the server's cap.
#[tokio::test]
async fn a_trusted_proxys_connections_are_not_capped_per_client() {
    let f = fixture(|s| {
        s.http_max_connections_per_client = 1;
        s.http_header_timeout_secs = Seconds(30);
        s.trusted_proxies = TrustedProxies(vec!["127.0.0.2/32".parse().unwrap()]);
    })
    .await;
    let from_the_proxy = || async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        socket.connect(f.app.address).await.unwrap()
    };
    let _idle = [from_the_proxy().await, from_the_proxy().await];
    let mut third = from_the_proxy().await;
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: gatehouse.test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = read_until_closed(&mut third, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn shutdown_waits_for_open_requests_only_up_to_its_grace_period() {
    let f = fixture(|s| {
        s.shutdown_grace_secs = Seconds(1);
        s.http_header_timeout_secs = Seconds(60);
        s.http_request_timeout_secs = Seconds(60);
    })
    .await;
    let mut stream = TcpStream::connect(f.app.address).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: gatehouse.test\r\nX-Slow: ")
        .await
        .unwrap();
    let crate::support::Fixture { app, sink, dir, .. } = f;
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(10), app.stop())
        .await
        .expect("the server stopped");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    drop((stream, sink, dir));
}
