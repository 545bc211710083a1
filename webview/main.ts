// The review panel's browser code.
export {};
