package io.pgrelocate.engine.roles;

import io.pgrelocate.engine.settings.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Whether a password matches a stored verifier, computed here as the server would (RFC 5802/7677 for
 * SCRAM-SHA-256, {@code md5(password || user)} for md5), so preflight can tell that an application's
 * password will log in once the verifier is carried, before the role exists on the target. The
 * password's UTF-8 bytes are used as they are (SASLprep leaves ASCII passwords unchanged).
 */
final class PasswordCheck {
    private PasswordCheck() {
    }

    static boolean matches(Secret verifier, String user, Secret password) {
        if (verifier == null || password == null) {
            return false;
        }
        String v = verifier.reveal();
        try {
            if (v.startsWith("md5")) {
                byte[] md5 = MessageDigest.getInstance("MD5").digest((password.reveal() + user).getBytes(StandardCharsets.UTF_8));
                return MessageDigest.isEqual(("md5" + HexFormat.of().formatHex(md5)).getBytes(StandardCharsets.US_ASCII),
                        v.getBytes(StandardCharsets.US_ASCII));
            }
            if (v.startsWith("SCRAM-SHA-256$")) {
                // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
                String[] parts = v.substring("SCRAM-SHA-256$".length()).split("[$:]");
                int iterations = Integer.parseInt(parts[0]);
                byte[] salt = Base64.getDecoder().decode(parts[1]);
                byte[] stored = Base64.getDecoder().decode(parts[2]);
                byte[] salted = pbkdf2(password.reveal().getBytes(StandardCharsets.UTF_8), salt, iterations);
                byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
                return MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(clientKey), stored);
            }
            return false;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;  // a verifier this code cannot read: the login itself will tell
        }
    }

    /** PBKDF2-HMAC-SHA-256 with one block: SCRAM's Hi(). */
    private static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1;
        byte[] u = hmac(password, block);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = hmac(password, u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
