// Entry point: replaced by its owner during this session.
export {};
