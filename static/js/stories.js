// Stories for the presentation: ordered steps, each an incident with a title
// and a short introduction (GET /stories, /stories/{id}; in a static copy the
// same JSON as files).

import { siteURL, STATIC } from './site.js';
import { ApiError, getJSON } from './api.js';

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
