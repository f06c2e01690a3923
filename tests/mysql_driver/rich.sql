-- Every object kind the MySQL model holds; loaded by the mysql client and replayed by schema.
CREATE TABLE pairs (
  a int NOT NULL,
  b int NOT NULL,
  PRIMARY KEY (a, b)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE users (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  email varchar(255) NOT NULL COMMENT 'login',
  name varchar(100) CHARACTER SET latin1 DEFAULT NULL,
  nick varchar(50) COLLATE utf8mb4_bin DEFAULT 'it''s',
  flag tinyint(1) NOT NULL DEFAULT 0,
  score decimal(10,2) DEFAULT 0.00,
  small smallint(5) unsigned zerofill,
  mood enum('Ok','sad','it''s') NOT NULL DEFAULT 'Ok',
  perms set('r','w','x') DEFAULT 'r,w',
  created timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated datetime DEFAULT now() ON UPDATE CURRENT_TIMESTAMP,
  name_len int GENERATED ALWAYS AS (char_length(name)) VIRTUAL,
  upper_email varchar(255) AS (upper(email)) STORED,
  secret int INVISIBLE DEFAULT 7,
  bio text,
  pt point NOT NULL,
  age int CHECK (age >= 0),
  yr year,
  token varchar(36) DEFAULT (uuid()),
  PRIMARY KEY (id),
  UNIQUE KEY users_email (email),
  UNIQUE KEY nick_score (nick, score DESC),
  KEY name_prefix (name(10)) COMMENT 'prefix',
  FULLTEXT KEY ft_bio (bio),
  SPATIAL KEY sp (pt),
  CONSTRAINT score_pos CHECK (score >= 0 AND flag IN (0, 1)),
  CHECK (age < 200)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='people';

CREATE TABLE `Größe` (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id bigint unsigned NOT NULL,
  `order` int,
  note varchar(20),
  CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE NO ACTION,
  FOREIGN KEY (id, `order`) REFERENCES pairs (a, b) ON UPDATE CASCADE
) ENGINE=InnoDB COMMENT='';

CREATE TABLE log (
  at datetime NOT NULL,
  line varchar(200) NOT NULL,
  KEY at_line (at DESC, line(20))
) ENGINE=MyISAM ROW_FORMAT=FIXED;

CREATE TABLE cache (
  k varchar(20) NOT NULL,
  v int,
  KEY k_hash (k) USING HASH
) ENGINE=MEMORY;

CREATE VIEW active AS SELECT id, email, concat(email, '!') AS shout FROM users WHERE flag = 1 WITH CASCADED CHECK OPTION;

CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW user_orders AS
  SELECT u.id, o.note FROM users u JOIN `Größe` o ON o.user_id = u.id;
