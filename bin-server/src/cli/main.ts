#!/usr/bin/env node
import { catalog } from '@umhooks/core';
console.log(catalog.length);
