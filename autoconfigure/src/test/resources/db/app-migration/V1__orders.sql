CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL);
INSERT INTO orders (id, item) VALUES (1, 'clams');
