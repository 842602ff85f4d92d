package io.pgrelocate.engine.cnpg;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Splits a source's postgresql.conf parameters into those CNPG accepts and those its admission webhook
 * refuses because the operator sets them itself (paths, ports, TLS, logging, archiving, replication,
 * recovery). The list follows CNPG's "Fixed parameters" documentation. It errs on the side of dropping:
 * a dropped parameter is reported, a refused one stops the whole Cluster.
 */
public final class ParameterFilter {
    static final Set<String> FIXED = Set.of(
            "allow_system_table_mods", "archive_cleanup_command", "archive_command", "archive_mode",
            "archive_timeout", "bonjour", "bonjour_name", "cluster_name", "config_file", "data_directory",
            "data_sync_retry", "event_source", "external_pid_file", "full_page_writes", "hba_file", "hot_standby",
            "huge_pages", "ident_file", "jit_provider", "listen_addresses", "log_destination", "log_directory",
            "log_file_mode", "log_filename", "log_rotation_age", "log_rotation_size", "log_truncate_on_rotation",
            "logging_collector", "port", "primary_conninfo", "primary_slot_name", "promote_trigger_file",
            "recovery_end_command", "recovery_min_apply_delay", "recovery_target", "recovery_target_action",
            "recovery_target_inclusive", "recovery_target_lsn", "recovery_target_name", "recovery_target_time",
            "recovery_target_timeline", "recovery_target_xid", "restart_after_crash", "restore_command",
            // a source's libraries (Spilo's bg_mon, pg_auth_mon…) are rarely in CNPG's image: the server would not start
            "shared_preload_libraries",
            "ssl", "ssl_ca_file", "ssl_cert_file", "ssl_ciphers", "ssl_crl_file", "ssl_dh_params_file",
            "ssl_ecdh_curve", "ssl_key_file", "ssl_max_protocol_version", "ssl_min_protocol_version",
            "ssl_passphrase_command", "ssl_passphrase_command_supports_reload", "ssl_prefer_server_ciphers",
            "stats_temp_directory", "synchronous_standby_names", "syslog_facility", "syslog_ident",
            "syslog_sequence_numbers", "syslog_split_messages", "unix_socket_directories", "unix_socket_group",
            "unix_socket_permissions", "wal_level", "wal_log_hints");

    private ParameterFilter() {
    }

    /** Parameters sorted by name, so that the generated YAML does not change between runs. */
    public record Filtered(SortedMap<String, String> kept, SortedMap<String, String> dropped) {
    }

    public static Filtered filter(Map<String, String> parameters) {
        SortedMap<String, String> kept = new TreeMap<>();
        SortedMap<String, String> dropped = new TreeMap<>();
        parameters.forEach((k, v) -> (FIXED.contains(k.toLowerCase()) ? dropped : kept).put(k, v));
        return new Filtered(kept, dropped);
    }
}
