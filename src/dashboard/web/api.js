// The page's only way to the server: GET JSON, turning the API's { error, message } into an Error
// that carries the message to show.

export async function getJson(path, signal) {
  let res;
  try {
    res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new Error('The dashboard server does not answer. Is `brook dashboard` (or `brook up`) still running?');
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(body.message ?? `HTTP ${res.status}`);
    err.status = res.status;
    err.code = body.error;
    throw err;
  }
  return body;
}
