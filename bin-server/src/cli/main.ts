#!/usr/bin/env node
import { placeholder } from '@umhooks/core';
console.log(placeholder);
