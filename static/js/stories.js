// Stories for the presentation: ordered steps, each an incident with a title
// and a short introduction (GET /stories, /stories/{id}; in a static copy the
// same JSON as files).

import { siteURL, STATIC } from './site.js';
import { ApiError } from './api.js';

async function getJSON(url, what) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError(`Could not reach the server for ${what}.`, 0);
  }
  if (!response.ok) {
    let description = response.statusText;
    try {
      const body = await response.json();
      if (body && typeof body.description === 'string') description = body.description;
    } catch { /* not JSON */ }
    throw new ApiError(`Loading ${what} failed (${response.status}): ${description}`, response.status);
  }
  return response.json();
}

/** [{id, title, description, steps}] — steps is how many. */
export async function fetchStories() {
  const body = await getJSON(siteURL(STATIC ? 'stories/index.json' : 'stories'), 'the stories');
  if (!body || !Array.isArray(body.stories)) throw new ApiError('The server sent something other than a list of stories.', 200);
  return body.stories;
}

/** {id, title, description, steps: [{step, incident, title, intro}]} */
export async function fetchStory(id) {
  const path = STATIC ? `stories/${encodeURIComponent(id)}.json` : `stories/${encodeURIComponent(id)}`;
  const body = await getJSON(siteURL(path), `the story “${id}”`);
  if (!body || !Array.isArray(body.steps)) throw new ApiError(`The server sent something other than a story for ${id}.`, 200);
  return body;
}
