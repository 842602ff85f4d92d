-- Every type the default mapping knows, with edge values; loaded into a fresh MariaDB database.
CREATE TABLE every_type (
  id INT AUTO_INCREMENT PRIMARY KEY,
  flag TINYINT(1),
  tiny TINYINT, tiny_u TINYINT UNSIGNED, small_u SMALLINT UNSIGNED, medium MEDIUMINT, medium_u MEDIUMINT UNSIGNED,
  int_u INT UNSIGNED, big BIGINT, big_u BIGINT UNSIGNED,
  dec_v DECIMAL(20,6), flt FLOAT, dbl DOUBLE,
  bits BIT(10), yr YEAR,
  d DATE, dt DATETIME(6), ts TIMESTAMP(3) NULL DEFAULT NULL, tm TIME(6),
  ch CHAR(10) DEFAULT 'c', vc VARCHAR(100) COMMENT 'any text', tx TEXT, lt LONGTEXT,
  js JSON, en ENUM('small','medium','large') DEFAULT 'medium', st SET('read','write','admin'),
  bin BINARY(4), vb VARBINARY(20), bl BLOB,
  created TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  doubled INT AS (tiny * 2) STORED,
  CONSTRAINT small_tiny_u CHECK (tiny_u < 256)
) COMMENT = 'one column of each type';

INSERT INTO every_type (flag, tiny, tiny_u, small_u, medium, medium_u, int_u, big, big_u, dec_v, flt, dbl, bits, yr,
                        d, dt, ts, tm, ch, vc, tx, lt, js, en, st, bin, vb, bl, created) VALUES
 (1, 7, 200, 40000, -5, 5, 3000000000, 42, 10, 12.5, 3.25, 2.5e-5, b'0000000101', 2024,
  '2024-02-29', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.123', '12:34:56.5', 'pad', 'plain', 'line1\nline2', 'long',
  '{"b": [1, 2.50, {"z": null}], "a": "\\u00fc"}', 'small', 'read,write', 0x01020304, 0x0A0B, 0x0102, '2024-01-01 00:00:00'),
 (0, -128, 255, 65535, -8388608, 16777215, 4294967295, -9223372036854775808, 18446744073709551615,
  -99999999999999.999999, -1.5e10, 1.7976931348623157e308, b'1111111111', 2155,
  '0000-00-00', '0000-00-00 00:00:00', '2038-01-19 03:14:07.009', '23:59:59.000001', 'x',
  'emoji 😀 "quotes" ''single'' \\back\\slash\\ tab\tend', 'CR\r\nLF', CONCAT('nul', CHAR(0), 'byte'),
  '[]', 'large', 'read,admin', 0x00000000, 0x00FF5C27, 0x5C005C6E00, '1970-01-01 00:00:01'),
 (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'0', 1901,
  '2024-05-00', '1000-01-01 00:00:00.012345', '1970-01-01 00:00:01', '00:00:01', '', '', '', '',
  '{"nested": {"k": true}}', 'medium', '', X'00000000', X'', X'', '2000-01-01 00:00:00');

CREATE TABLE `Customer` (
  customer_id INT AUTO_INCREMENT PRIMARY KEY,
  `Name` VARCHAR(50) NOT NULL,
  email VARCHAR(100),
  UNIQUE KEY email (email),
  KEY name_idx (`Name`(10))
) AUTO_INCREMENT = 1000;
INSERT INTO `Customer` (customer_id, `Name`, email) VALUES (1, 'Ada', 'ada@example.org'), (2, 'Grace', NULL), (3, 'Üma', 'u@example.org');

CREATE TABLE `order` (
  `user` INT NOT NULL,
  `select` INT NOT NULL,
  qty INT DEFAULT 1,
  note VARCHAR(20) DEFAULT 'none',
  PRIMARY KEY (`user`, `select`),
  KEY name_idx (qty),
  CONSTRAINT fk_order_customer FOREIGN KEY (`user`) REFERENCES `Customer` (customer_id) ON DELETE CASCADE
);
INSERT INTO `order` VALUES (1, 1, 2, 'first'), (1, 2, 1, DEFAULT), (3, 1, 5, NULL);

CREATE TABLE event_log (message TEXT, at DATETIME);
INSERT INTO event_log VALUES ('same', '2024-01-01 00:00:00'), ('same', '2024-01-01 00:00:00'), (NULL, NULL);

CREATE TABLE durations (id INT PRIMARY KEY, span TIME);
INSERT INTO durations VALUES (1, '838:59:59'), (2, '-12:00:00'), (3, '25:00:00.5'), (4, NULL);

CREATE VIEW customer_names AS SELECT `Name` FROM `Customer`;

-- bigint unsigned AUTO_INCREMENT becomes bigint; the bigint unsigned column referencing it must follow.
CREATE TABLE account (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, label VARCHAR(10));
CREATE TABLE account_note (account_id BIGINT UNSIGNED NOT NULL, note TEXT, FOREIGN KEY (account_id) REFERENCES account (id));
INSERT INTO account (label) VALUES ('a'), ('b');
INSERT INTO account_note VALUES (1, 'x'), (2, NULL), (2, 'y');
