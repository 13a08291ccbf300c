//! The WebAuthn relying party (webauthn-rs): one, whose id is the host of the public address, so
//! only pages served from that origin can use the passkeys made for it. Passkeys are discoverable
//! and always ask the authenticator to verify the user (a PIN, a fingerprint, a face).

use std::time::Duration;

use webauthn_rs::prelude::{
    AuthenticationResult, CreationChallengeResponse, DiscoverableAuthentication, Passkey,
    PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder, WebauthnError,
};

use crate::server::{config::Settings, keys::ServerKey};

/// A ceremony's state lasts this long, and the browser's dialog as long.
pub const CEREMONY_SECS: i64 = 300;

pub struct RelyingParty {
    webauthn: Webauthn,
}

/// Why a ceremony's answer was refused, as the log names it (never shown as is).
#[derive(Debug)]
pub struct Refused(pub WebauthnError);

impl RelyingParty {
    /// None when no passkey can work: without a public address, or when its host is an IP
    /// address (browsers refuse those as a relying party id; `localhost` works).
    pub fn from_settings(settings: &Settings) -> Option<RelyingParty> {
        let origin = Url::parse(&settings.public_url.as_ref()?.0).ok()?;
        let Some(url::Host::Domain(rp_id)) = origin.host() else {
            return None;
        };
        let webauthn = WebauthnBuilder::new(rp_id, &origin)
            .ok()?
            .rp_name(&settings.site_name.0)
            .timeout(Duration::from_secs(CEREMONY_SECS.unsigned_abs()))
            .build()
            .ok()?;
        Some(RelyingParty { webauthn })
    }

    /// The account as authenticators know it: a keyed hash of its id, so the handle says nothing
    /// about the account to anyone without the server key, and stays the same for its life.
    pub fn user_handle(server_key: &ServerKey, user_id: i64) -> Uuid {
        let mac = server_key.sign("passkey user handle", &user_id.to_be_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&mac[..16]);
        Uuid::from_bytes(bytes)
    }

    /// The options for the browser and the state to keep; the account's passkeys are excluded,
    /// so one authenticator is not registered twice.
    pub fn start_registration(
        &self,
        user_handle: Uuid,
        username: &str,
        existing: &[Passkey],
    ) -> Result<(serde_json::Value, PasskeyRegistration), Refused> {
        let exclude = existing.iter().map(|passkey| passkey.cred_id().clone()).collect();
        let (options, state) = self
            .webauthn
            .start_passkey_registration(user_handle, username, username, Some(exclude))
            .map_err(Refused)?;
        Ok((discoverable(options), state))
    }

    pub fn finish_registration(
        &self,
        answer: &RegisterPublicKeyCredential,
        state: &PasskeyRegistration,
    ) -> Result<Passkey, Refused> {
        self.webauthn
            .finish_passkey_registration(answer, state)
            .map_err(Refused)
    }

    /// A sign-in by passkey alone: any of the site's passkeys may answer.
    pub fn start_sign_in(&self) -> Result<(RequestChallengeResponse, DiscoverableAuthentication), Refused> {
        self.webauthn.start_discoverable_authentication().map_err(Refused)
    }

    /// The account handle and credential id the answer names, before anything is checked.
    pub fn identify<'a>(&self, answer: &'a PublicKeyCredential) -> Result<(Uuid, &'a [u8]), Refused> {
        self.webauthn
            .identify_discoverable_authentication(answer)
            .map_err(Refused)
    }

    pub fn finish_sign_in(
        &self,
        answer: &PublicKeyCredential,
        state: DiscoverableAuthentication,
        passkey: &Passkey,
    ) -> Result<AuthenticationResult, Refused> {
        self.webauthn
            .finish_discoverable_authentication_v2(answer, state, passkey)
            .map_err(Refused)
    }

    /// The second step after a password: only the account's own passkeys may answer.
    pub fn start_second_step(
        &self,
        passkeys: &[Passkey],
    ) -> Result<(RequestChallengeResponse, PasskeyAuthentication), Refused> {
        self.webauthn
            .start_passkey_authentication(passkeys)
            .map_err(Refused)
    }

    pub fn finish_second_step(
        &self,
        answer: &PublicKeyCredential,
        state: &PasskeyAuthentication,
    ) -> Result<AuthenticationResult, Refused> {
        self.webauthn
            .finish_passkey_authentication(answer, state)
            .map_err(Refused)
    }
}

/// The library asks for a passkey it may or may not be able to find by itself; here the passkey
/// alone names the account at sign-in, so the authenticator must keep it (a resident key).
fn discoverable(options: CreationChallengeResponse) -> serde_json::Value {
    let mut options = serde_json::to_value(options).expect("options serialise");
    if let Some(selection) = options
        .pointer_mut("/publicKey/authenticatorSelection")
        .and_then(serde_json::Value::as_object_mut)
    {
        selection.insert("residentKey".into(), "required".into());
        selection.insert("requireResidentKey".into(), true.into());
    }
    options
}
