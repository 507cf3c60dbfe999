/**
 * Logging: JSON lines on the console where logs are collected (staging, production,
 * Kubernetes) through Spring Boot's structured logging, and optional JSON log files.
 */
@NullMarked
package dev.clambake.logging;

import org.jspecify.annotations.NullMarked;
