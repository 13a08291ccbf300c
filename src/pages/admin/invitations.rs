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
    model::utc_timestamp,
    validate::Field,
};

#[component]
pub fn AdminInvitationsPage() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(move || query.read().get("done"), |_| fetch_admin_invitations());
    let done = move || {
        query.read().get("done").and_then(|done| match done.as_str() {
            "invite" => Some("The invitation is on its way."),
            "resend" => Some("The invitation was sent again with a new link; the old link no longer works."),
            "revoke" => Some("The invitation was revoked; its link no longer works."),
            _ => None,
        })
    };
    view! {
        <Title text="Invitations · Admin console"/>
        <h1>"Invitations"</h1>
        <AdminNav/>
        {move || done().map(|text| view! { <p class="notice success" role="status">{text}</p> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    let mode = match list.mode.as_str() {
        "invite" => "Registration is by invitation only: people register from the link in their invitation.",
        "closed" => {
            "Registration is closed: only invited people can register, from the link in their invitation."
        }
        _ => "Registration is open to anyone; an invitation also fixes the address and adds the groups.",
    };
    let groups_hint = match list.groups.is_empty() {
        true => "No groups exist yet.".to_string(),
        false => format!("Separated by commas. Groups: {}.", list.groups.join(", ")),
    };
    view! {
        <p>{mode}</p>
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite someone"</h2>
            <ActionForm action=invite attr:class="form" attr:novalidate=true>
                <input type="hidden" name="action" value="invite"/>
                {text_field("invite-email", "email", "Email address", "email", None, field(Field::Email))}
                {text_field("invite-groups", "groups", "Groups (optional)", "text", Some(groups_hint), field(Field::GroupName))}
                {text_field("invite-days", "days", "Days the link works", "text",
                    Some(format!("1 to 90; empty: {} days.", list.default_days)), field(Field::InvitationDays))}
                {password_field(ask_password, "invite-password".into(), field(Field::CurrentPassword))}
                <ErrorNotice error=general/>
                <button type="submit">"Send the invitation"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="pending-heading">
            <h2 id="pending-heading">"Pending"</h2>
            {list.invitations.is_empty().then(|| view! { <p role="status">"No invitation is pending."</p> })}
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
    let by = invitation.invited_by.unwrap_or_else(|| "the command line".into());
    let groups = match invitation.groups.is_empty() {
        true => "no groups".to_string(),
        false => invitation.groups.join(", "),
    };
    let details = format!(
        "Sent {} by {by}; {groups}; works until {}.",
        utc_timestamp(invitation.created_at),
        utc_timestamp(invitation.expires_at)
    );
    let email = invitation.email.clone();
    let form = move |action: ServerAction<ChangeInvitation>, name: &'static str, label: &'static str| {
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
            {form(resend, "resend", "Send again")}
            {form(revoke, "revoke", "Revoke")}
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
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <input id=id name=name type=kind autocomplete="off" maxlength="254"
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=described_by/>
            <p class="field-message" id=message_id aria-live="polite">{move || message.get()}</p>
        </div>
    }
}
