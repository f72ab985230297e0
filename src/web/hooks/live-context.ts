import { createContext } from 'react';
import type { LiveConnection } from '../backend/live-connection.ts';

export const LiveContext = createContext<LiveConnection | null>(null);
