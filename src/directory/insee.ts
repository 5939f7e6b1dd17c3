/** INSEE commune code: 5 characters, Corsica 2A/2B included. */
export const INSEE_COMMUNE_PATTERN = /^(0[1-9]|[1-9][0-9AB])[0-9]{3}$/;
export const POSTCODE_PATTERN = /^[0-9]{5}$/;
