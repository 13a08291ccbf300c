//! A software passkey authenticator that answers as a phone or a security key does: P-256 keys
//! (ES256), attestation "none" in CBOR, the JSON forms `PublicKeyCredential.toJSON()` gives the
//! page. What a real one would never do is a setting: answer for another origin, or without
//! verifying the user.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use ciborium::Value as Cbor;
use p256::ecdsa::{signature::Signer, Signature, SigningKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const BACKUP_ELIGIBLE: u8 = 0x08;
const BACKED_UP: u8 = 0x10;
const ATTESTED_DATA: u8 = 0x40;

pub struct Authenticator {
    /// The origin the browser writes into its client data.
    pub origin: String,
    rp_id: String,
    pub verifies_user: bool,
    /// A synced passkey (a password manager's), not one bound to the device.
    pub synced: bool,
    pub credentials: Vec<Credential>,
}

#[derive(Clone)]
pub struct Credential {
    pub id: Vec<u8>,
    key: SigningKey,
    user_handle: Vec<u8>,
    counter: u32,
}

fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).expect("base64url")
}

impl Authenticator {
    pub fn new(origin: &str) -> Authenticator {
        let rp_id = origin
            .split_once("://")
            .map(|(_, rest)| rest.split(':').next().unwrap().to_string())
            .unwrap();
        Authenticator {
            origin: origin.to_string(),
            rp_id,
            verifies_user: true,
            synced: false,
            credentials: Vec::new(),
        }
    }

    /// `navigator.credentials.create()` for the server's options (`{"publicKey": …}`).
    pub fn register(&mut self, options: &str) -> String {
        let options: Value = serde_json::from_str(options).unwrap();
        let public_key = &options["publicKey"];
        let credential = Credential {
            id: rand_bytes(),
            key: SigningKey::random(&mut rand::rngs::OsRng),
            user_handle: decode(public_key["user"]["id"].as_str().unwrap()),
            counter: 0,
        };
        let client_data = self.client_data("webauthn.create", &public_key["challenge"]);
        let mut auth_data = self.auth_data(ATTESTED_DATA, 0);
        auth_data.extend([0u8; 16]);
        auth_data.extend(u16::try_from(credential.id.len()).unwrap().to_be_bytes());
        auth_data.extend(&credential.id);
        auth_data.extend(cose_key(&credential.key));
        let attestation = cbor(&Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(vec![])),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]));
        let id = encode(&credential.id);
        self.credentials.push(credential);
        json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "response": {
                "attestationObject": encode(&attestation),
                "clientDataJSON": encode(client_data.as_bytes()),
            },
            "clientExtensionResults": {},
        })
        .to_string()
    }

    /// `navigator.credentials.get()` with the `index`th passkey this authenticator holds.
    pub fn sign_in(&mut self, options: &str, index: usize) -> String {
        let options: Value = serde_json::from_str(options).unwrap();
        let client_data = self.client_data("webauthn.get", &options["publicKey"]["challenge"]);
        let credential = &mut self.credentials[index];
        credential.counter += 1;
        let counter = credential.counter;
        let credential = credential.clone();
        let auth_data = self.auth_data(0, counter);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(client_data.as_bytes()));
        let signature: Signature = credential.key.sign(&signed);
        json!({
            "id": encode(&credential.id),
            "rawId": encode(&credential.id),
            "type": "public-key",
            "response": {
                "authenticatorData": encode(&auth_data),
                "clientDataJSON": encode(client_data.as_bytes()),
                "signature": encode(signature.to_der().as_bytes()),
                "userHandle": encode(&credential.user_handle),
            },
            "clientExtensionResults": {},
        })
        .to_string()
    }

    fn client_data(&self, kind: &str, challenge: &Value) -> String {
        json!({
            "type": kind,
            "challenge": challenge.as_str().unwrap(),
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
    }

    fn auth_data(&self, extra_flags: u8, counter: u32) -> Vec<u8> {
        let mut flags = USER_PRESENT | extra_flags;
        if self.verifies_user {
            flags |= USER_VERIFIED;
        }
        if self.synced {
            flags |= BACKUP_ELIGIBLE | BACKED_UP;
        }
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        data.push(flags);
        data.extend(counter.to_be_bytes());
        data
    }
}

fn rand_bytes() -> Vec<u8> {
    use rand::RngCore;
    let mut bytes = vec![0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The public key as COSE (RFC 9053): EC2, ES256, P-256, its x and y.
fn cose_key(key: &SigningKey) -> Vec<u8> {
    let point = key.verifying_key().to_encoded_point(false);
    let integer = |value: i64| Cbor::Integer(value.into());
    cbor(&Cbor::Map(vec![
        (integer(1), integer(2)),
        (integer(3), integer(-7)),
        (integer(-1), integer(1)),
        (integer(-2), Cbor::Bytes(point.x().unwrap().to_vec())),
        (integer(-3), Cbor::Bytes(point.y().unwrap().to_vec())),
    ]))
}

fn cbor(value: &Cbor) -> Vec<u8> {
    let mut bytes = Vec::new();
    ciborium::into_writer(value, &mut bytes).unwrap();
    bytes
}
