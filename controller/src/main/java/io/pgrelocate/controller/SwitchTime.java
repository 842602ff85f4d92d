package io.pgrelocate.controller;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/** switch --at: an ISO-8601 time with its offset, or HH:MM[:SS] the next time the local clock shows it. */
final class SwitchTime implements ITypeConverter<Instant> {
    private final Clock clock;

    SwitchTime() {
        this(Clock.systemDefaultZone());
    }

    SwitchTime(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String text) {
        String t = text.strip();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                ZonedDateTime now = ZonedDateTime.now(clock);
                ZonedDateTime today = now.with(LocalTime.parse(t));
                return (today.isAfter(now) ? today : today.plusDays(1)).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + text + "' is no time: write 2026-12-12T02:00:00Z (with its offset) or 02:00 (local)");
            }
        }
    }
}
