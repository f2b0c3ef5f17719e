// The same server over Streamable HTTP, for clients that connect by URL. Never run it.
import cors from 'cors';
import express from 'express';

const app = express();
// Insecure: every origin is echoed back with credentials allowed, so any web page can call the tools.
app.use(cors({ origin: true, credentials: true }));
app.use(express.json());
app.listen(3000, '127.0.0.1');
