package dev.idgen.zookeeper;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ZooKeeperLeaseSettings} value outside its allowed range. Carries the setting's
 * name, the value and the allowed range apart, so that a framework can report it under
 * its own name for the setting.
 */
public final class InvalidLeaseSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    private final transient @Nullable Object value;

    private final String reason;

    InvalidLeaseSettingException(String setting, @Nullable Object value, String reason) {
        super(setting + " " + reason + ", but was " + (value instanceof String ? "'" + value + "'" : value));
        this.setting = setting;
        this.value = value;
        this.reason = reason;
    }

    /**
     * The setting's name, as in {@link ZooKeeperLeaseSettings}'s components (for example
     * {@code heartbeatInterval}).
     */
    public String setting() {
        return setting;
    }

    /** The rejected value (may be {@code null}). */
    public @Nullable Object value() {
        return value;
    }

    /** What the value must be, naming other settings by their component names. */
    public String reason() {
        return reason;
    }

}
