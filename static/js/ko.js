// Korean for the interface (i18n.js), keyed by the English text.

export const KO = {
};
