// Passkeys in the browser: the server begins a ceremony (`/api/begin_passkey`), the browser's own
// dialog asks the authenticator, the server finishes it (`/api/finish_passkey`) and says where to
// go. The page renders each button (`[data-passkey]`) disabled; this script enables it. Only the
// pages with a passkey button load it. The server's refusals arrive as sentences in the
// `x-error-sentence` header; the browser's own refusals are worded by the page, in the reader's
// language, in the button's `data-cancelled`, `data-held`, `data-unsupported` and `data-failed`.

class Refusal extends Error {}

function refusedByBrowser(error, words) {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'AbortError':
      return words.cancelled;
    case 'InvalidStateError':
      return words.held;
    default:
      return words.unsupported;
  }
}

async function call(name, fields, words) {
  const response = await fetch(`/api/${name}`, {
    method: 'POST',
    headers: { Accept: 'application/json' },
    body: new URLSearchParams(fields),
  });
  if (!response.ok) {
    const sentence = response.headers.get('x-error-sentence');
    throw new Refusal(sentence ? decodeURIComponent(sentence) : words.failed);
  }
  return response.json();
}

async function ceremony(purpose, words, { next = '', name = '', signal } = {}) {
  const begun = await call('begin_passkey', { purpose }, words);
  const { publicKey } = JSON.parse(begun.options);
  let credential;
  try {
    credential =
      purpose === 'register'
        ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(publicKey) })
        : await navigator.credentials.get({
            publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(publicKey),
            ...(signal ? { mediation: 'conditional', signal } : {}),
          });
  } catch (error) {
    throw new Refusal(refusedByBrowser(error, words));
  }
  const answer = JSON.stringify(credential.toJSON());
  return call('finish_passkey', { purpose, ceremony: begun.token, answer, name, next }, words);
}

for (const box of document.querySelectorAll('[data-passkey]')) {
  const button = box.querySelector('button');
  const alert = box.querySelector('[role="alert"]');
  const words = box.dataset;
  const { passkey: purpose, next, autofill } = words;
  if (!window.PublicKeyCredential?.parseRequestOptionsFromJSON) continue;
  let waitingAutofill = null;

  const run = async (signal) => {
    try {
      const name = box.querySelector('#passkey-name')?.value ?? '';
      location.assign(await ceremony(purpose, words, { next, name, signal }));
    } catch (error) {
      if (signal) return;
      alert.textContent = error instanceof Refusal ? error.message : words.unsupported;
      alert.hidden = false;
      button.disabled = false;
    }
  };

  button.addEventListener('click', () => {
    waitingAutofill?.abort();
    alert.hidden = true;
    button.disabled = true;
    run();
  });
  button.disabled = false;

  if (autofill && (await PublicKeyCredential.isConditionalMediationAvailable?.())) {
    waitingAutofill = new AbortController();
    run(waitingAutofill.signal);
  }
}
