package io.github.eventfd.spring.channel;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

/**
 * A setting of a channel or of the delivery is out of its range. It names the setting as the Java API does
 * ({@code maxEventsPerWait}), so that whoever built it from configuration can name the property instead.
 */
public class InvalidSettingException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String setting;

    private final transient @Nullable Object value;

    private final String problem;

    /**
     * Create the exception.
     * @param setting the setting's name, as the component of the record that holds it
     * @param problem what is wrong and what is allowed, for example {@code must be between 1 and 4096 but was 0}
     */
    public InvalidSettingException(String setting, String problem) {
        this(setting, null, problem);
    }

    /**
     * Create the exception, keeping the value that was refused.
     * @param setting the setting's name, as the component of the record that holds it
     * @param value the value refused, or {@code null} when the problem names it
     * @param problem what is wrong and what is allowed
     */
    public InvalidSettingException(String setting, @Nullable Object value, String problem) {
        super("'" + setting + "' " + problem);
        this.setting = setting;
        this.value = value;
        this.problem = problem;
    }

    /**
     * The core's refusal of a setting ({@code 'initialValue' must be ...}, from
     * {@link io.github.eventfd.EventFdRules}), as an exception naming the setting.
     * @param setting the setting's name
     * @param refusal the core's exception
     * @return the exception
     */
    public static InvalidSettingException of(String setting, IllegalArgumentException refusal) {
        String message = String.valueOf(refusal.getMessage());
        String prefix = "'" + setting + "' ";
        return new InvalidSettingException(setting, message.startsWith(prefix) ? message.substring(prefix.length())
                : message);
    }

    /**
     * The setting that is wrong.
     * @return its name
     */
    public String getSetting() {
        return this.setting;
    }

    /**
     * The value refused.
     * @return the value, or {@code null} when only the problem names it
     */
    public @Nullable Object getValue() {
        return this.value;
    }

    /**
     * What is wrong with it and what is allowed.
     * @return the problem, without the setting's name
     */
    public String getProblem() {
        return this.problem;
    }
}
