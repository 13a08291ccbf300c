//! Invitations: the form to invite an address (optional groups and expiry), and the pending
//! invitations, each with "Send again" and "Revoke". Like every console change, each asks for the
//! admin's password when the last one is a few minutes old.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{groups::password_field, refused, AdminNav};
use crate::{
    api::invitations::{fetch_admin_invitations, AdminInvitation, AdminInvitationList, ChangeInvitation},
    components::{split_errors, ErrorNotice},
    i18n::{t, t_with},
    model::utc_timestamp,
    validate::Field,
};

#[component]
pub fn AdminInvitationsPage() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(move || query.read().get("done"), |_| fetch_admin_invitations());
    let done = move || {
        query.read().get("done").and_then(|done| match done.as_str() {
            "invite" => Some(t("console-invitation-sent")),
            "resend" => Some(t("console-invitation-resent")),
            "revoke" => Some(t("console-invitation-revoked")),
            _ => None,
        })
    };
    view! {
        <Title text=t_with("console-page-title", &[("page", t("console-invitations").into())])/>
        <h1>{t("console-invitations")}</h1>
        <AdminNav/>
        {move || done().map(|text| view! { <p class="notice success" role="status">{text}</p> })}
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || list.get().map(|result| match result {
                Ok(list) => view! { <InvitationList list/> }.into_any(),
                Err(error) => refused(error),
            })}
        </Suspense>
    }
}

#[component]
fn InvitationList(list: AdminInvitationList) -> impl IntoView {
    let invite = ServerAction::<ChangeInvitation>::new();
    let (field, general) = split_errors(Signal::derive(move || invite.value().get().and_then(Result::err)));
    let ask_password = !list.password_entered_recently;
    let mode = t(match list.mode.as_str() {
        "invite" => "console-registration-invite",
        "closed" => "console-registration-closed",
        _ => "console-registration-open",
    });
    let groups_hint = match list.groups.is_empty() {
        true => t("console-no-groups-yet"),
        false => t_with(
            "console-groups-hint",
            &[("groups", list.groups.join(", ").into())],
        ),
    };
    view! {
        <p>{mode}</p>
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t("console-invite-someone")}</h2>
            <ActionForm action=invite attr:class="form" attr:novalidate=true>
                <input type="hidden" name="action" value="invite"/>
                {text_field("invite-email", "email", "register-email", "email", None, field(Field::Email))}
                {text_field("invite-groups", "groups", "console-groups-optional", "text", Some(groups_hint), field(Field::GroupName))}
                {text_field("invite-days", "days", "console-invitation-days", "text",
                    Some(t_with("console-invitation-days-hint", &[("days", list.default_days.into())])),
                    field(Field::InvitationDays))}
                {password_field(ask_password, "invite-password".into(), field(Field::CurrentPassword))}
                <ErrorNotice error=general/>
                <button type="submit">{t("console-send-invitation")}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading">{t("console-pending")}</h2>
            {list.invitations.is_empty().then(|| view! { <p role="status">{t("console-no-invitations")}</p> })}
            <ul class="sessions" data-testid="invitations">
                {list.invitations.into_iter().map(|invitation| view! {
                    <InvitationItem invitation ask_password/>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn InvitationItem(invitation: AdminInvitation, ask_password: bool) -> impl IntoView {
    let resend = ServerAction::<ChangeInvitation>::new();
    let revoke = ServerAction::<ChangeInvitation>::new();
    let error = Signal::derive(move || {
        resend
            .value()
            .get()
            .or_else(|| revoke.value().get())
            .and_then(Result::err)
    });
    let id = invitation.id;
    let by = invitation.invited_by.unwrap_or_else(|| t("console-command-line"));
    let groups = match invitation.groups.is_empty() {
        true => t("console-no-groups"),
        false => invitation.groups.join(", "),
    };
    let details = t_with(
        "console-invitation-details",
        &[
            ("sent", utc_timestamp(invitation.created_at).into()),
            ("by", by.into()),
            ("groups", groups.into()),
            ("until", utc_timestamp(invitation.expires_at).into()),
        ],
    );
    let email = invitation.email.clone();
    let form = move |action: ServerAction<ChangeInvitation>, name: &'static str, label: String| {
        let aria = format!("{label}: {email}");
        view! {
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="action" value=name/>
                <input type="hidden" name="invitation" value=id.to_string()/>
                {password_field(ask_password, format!("{name}-{id}-password"), Signal::derive(|| None))}
                <button type="submit" class="secondary" aria-label=aria>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <li data-testid="invitation">
            <strong>{invitation.email.clone()}</strong>
            <br/><span class="muted">{details}</span>
            {form(resend, "resend", t("console-send-again"))}
            {form(revoke, "revoke", t("console-revoke"))}
            <ErrorNotice error/>
        </li>
    }
}

fn text_field(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    hint: Option<String>,
    message: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let message_id = format!("{id}-message");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {message_id}"),
        None => message_id.clone(),
    };
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id>{t(label)}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <input id=id name=name type=kind autocomplete="off" maxlength="254"
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by/>
            <p class="field-message" id=message_id aria-live="polite">{move || message.get()}</p>
        </div>
    }
}
