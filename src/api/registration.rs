use leptos::prelude::*;

use crate::{error::AppError, model::PasswordPolicy};

/// Creates the registration and sends the browser to `/verify`. `pow` carries a solved
/// proof-of-work challenge when the previous answer asked for one.
#[server(endpoint = "register")]
pub async fn register(
    username: String,
    email: String,
    password: String,
    password_confirm: String,
    pow: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        model::CodePurpose,
        server::{auth::session, flows::registration},
    };
    let context = crate::server::http::request_context().await?;
    let proof = pow.filter(|proof| !proof.is_empty());
    let form = registration::RegistrationForm {
        username,
        email,
        password,
        password_confirm,
        proof,
    };
    let flow_token = registration::register(&context.state, &context.client, form).await?;
    session::await_code(&context.session, CodePurpose::Registration, &flow_token).await?;
    leptos_axum::redirect("/verify");
    Ok(())
}

/// The configured password rules, so the forms can check as the user types.
#[server(endpoint = "password_policy")]
pub async fn fetch_password_policy() -> Result<PasswordPolicy, AppError> {
    let context = crate::server::http::request_context().await?;
    Ok(PasswordPolicy {
        min_length: context.state.settings.password_min_length,
    })
}
