throw new Error('ffi-napi is not available: Switchboard loads libvosk through koffi (src/speech)');
