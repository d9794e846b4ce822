throw new Error('ref-napi is not available: Switchboard loads libvosk through koffi (src/speech)');
